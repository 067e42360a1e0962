package client_test

import (
	"context"
	"strings"
	"testing"

	"github.com/bedrockwire/bedrockwire/client"
	"github.com/bedrockwire/bedrockwire/client/bedrocktest"
	"github.com/bedrockwire/bedrockwire/modelspec"
	"github.com/bedrockwire/bedrockwire/sigv4"
	"github.com/google/go-cmp/cmp"
)

// emulatorClient returns a SigV4 client for the emulator srv.
func emulatorClient(t *testing.T, srv *bedrocktest.Server) *client.Client {
	t.Helper()
	c, err := client.New(client.Options{Region: srv.Region(), Endpoint: srv.URL, HTTPClient: srv.Client(),
		Credentials: sigv4.StaticCredentials(bedrocktest.DefaultCredentials)})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func mustEncode(t *testing.T, evs ...modelspec.SonicEvent) [][]byte {
	t.Helper()
	var out [][]byte
	for _, ev := range evs {
		b, err := modelspec.EncodeSonicEvent(ev)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, b)
	}
	return out
}

// TestBidiEmulatorTextTurn runs a text turn through the emulator, which
// checks the request signature and every frame's chained signature.
func TestBidiEmulatorTextTurn(t *testing.T) {
	for _, tls := range []bool{false, true} {
		name := "h2c"
		if tls {
			name = "tls"
		}
		t.Run(name, func(t *testing.T) {
			srv := bedrocktest.NewUnstartedServer(nil)
			if tls {
				srv.StartTLS()
			} else {
				srv.Start()
			}
			defer srv.Close()
			c := emulatorClient(t, srv)
			ctx := context.Background()
			s, err := c.InvokeModelWithBidirectionalStream(ctx, "amazon.nova-2-sonic-v1:0")
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			const p = "p1"
			events := []modelspec.SonicEvent{
				modelspec.SonicSessionStart{InferenceConfiguration: modelspec.SonicInferenceConfiguration{MaxTokens: 1024}},
				modelspec.NewSonicPromptStart(p, "matthew"),
			}
			events = append(events, modelspec.SonicTextBlock(p, "sys", modelspec.SonicRoleSystem, "Be brief.")...)
			turn := modelspec.SonicTextBlock(p, "u1", modelspec.SonicRoleUser, "hello there")
			turn[0] = func() modelspec.SonicEvent {
				cs := turn[0].(modelspec.SonicContentStart)
				cs.Interactive = true
				return cs
			}()
			events = append(events, turn...)
			events = append(events, modelspec.SonicPromptEnd{PromptName: p}, modelspec.SonicSessionEnd{})
			for _, ev := range mustEncode(t, events...) {
				if err := s.Send(ctx, ev); err != nil {
					t.Fatal(err)
				}
			}
			if err := s.CloseSend(); err != nil {
				t.Fatal(err)
			}
			var names, texts []string
			for ev, err := range s.All() {
				if err != nil {
					t.Fatal(err)
				}
				e, perr := modelspec.ParseSonicEvent(ev)
				if perr != nil {
					t.Fatalf("ParseSonicEvent(%s): %v", ev, perr)
				}
				names = append(names, e.SonicEventName())
				if to, ok := e.(*modelspec.SonicTextOutput); ok {
					texts = append(texts, to.Role+": "+to.Content)
				}
			}
			if len(names) == 0 || names[0] != "completionStart" || names[len(names)-1] != "completionEnd" {
				t.Errorf("events %v, want completionStart … completionEnd", names)
			}
			want := []string{"USER: hello there", "ASSISTANT: You said: hello there", "ASSISTANT: You said: hello there"}
			if diff := cmp.Diff(want, texts); diff != "" {
				t.Errorf("texts (-want +got):\n%s\nall events: %s", diff, strings.Join(names, " "))
			}
			reqs := srv.Requests()
			if len(reqs) != 1 || !reqs[0].InputClosed || len(reqs[0].Events) != len(events) {
				t.Errorf("emulator saw %+v", reqs)
			}
		})
	}
}
