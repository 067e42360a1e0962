package novasonic_test

import (
	"bytes"
	"context"
	"fmt"
	"log"

	"github.com/bedrockwire/bedrockwire/client"
	"github.com/bedrockwire/bedrockwire/client/bedrocktest"
	"github.com/bedrockwire/bedrockwire/client/novasonic"
	"github.com/bedrockwire/bedrockwire/modelspec"
	"github.com/bedrockwire/bedrockwire/sigv4"
)

// One spoken turn: 0.5 s of audio in, the transcripts and the reply's audio
// out. The local emulator stands in for the service.
func ExampleStart() {
	srv := bedrocktest.NewServer(nil)
	defer srv.Close()
	c, err := client.New(client.Options{Region: "us-east-1", Endpoint: srv.URL, HTTPClient: srv.Client(),
		Credentials: sigv4.StaticCredentials(bedrocktest.DefaultCredentials)})
	if err != nil {
		log.Fatal(err)
	}
	var speech []byte
	ctx := context.Background()
	s, err := novasonic.Start(ctx, c, novasonic.Config{
		Voice:  "tiffany",
		System: "You are a helpful assistant.",
		OnTranscript: func(t novasonic.Transcript) {
			if t.Stage != modelspec.SonicStageSpeculative {
				fmt.Printf("%s: %s\n", t.Role, t.Text)
			}
		},
		OnAudio: func(pcm []byte) { speech = append(speech, pcm...) },
	})
	if err != nil {
		log.Fatal(err)
	}
	question := make([]byte, 16000) // 0.5 s of 16 kHz 16-bit mono silence; read a WAV with ReadWAV
	if err := s.StreamAudio(ctx, bytes.NewReader(question)); err != nil {
		log.Fatal(err)
	}
	if err := s.Close(ctx); err != nil { // waits for the reply to end
		log.Fatal(err)
	}
	fmt.Printf("%d bytes of 24 kHz speech\n", len(speech))
	// Output:
	// USER: (500 ms of audio)
	// ASSISTANT: You said: (500 ms of audio)
	// 17280 bytes of 24 kHz speech
}
