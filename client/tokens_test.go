package client

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestCountTokens(t *testing.T) {
	system := []SystemBlock{TextBlock{"Be brief."}, CachePointBlock{}}
	msgs := []Message{{Role: RoleUser, Content: []ContentBlock{TextBlock{"Hello"}, ImageBlock{Format: "png", Source: BytesSource("\x89PNG")}}}}
	tools := &ToolConfig{Tools: []Tool{ToolSpec{Name: "f", InputSchema: cvRaw(`{"type":"object"}`)}}, ToolChoice: AutoToolChoice{}}
	for _, tc := range []struct {
		name string
		in   CountTokensInput
	}{
		{"invoke", InvokeModelTokens{Body: []byte(`{"anthropic_version":"bedrock-2023-05-31","max_tokens":10,"messages":[{"role":"user","content":"Hello"}]}`)}},
		{"converse", ConverseTokens{Messages: msgs, System: system, ToolConfig: tools, AdditionalModelRequestFields: cvRaw(`{"top_k":5}`)}},
		// a whole Converse input: only what counts is sent
		{"converse_input", &ConverseInput{ModelID: "ignored", Messages: msgs, System: system, ToolConfig: tools,
			AdditionalModelRequestFields: cvRaw(`{"top_k":5}`), InferenceConfig: &InferenceConfig{MaxTokens: 9}, ServiceTier: &ServiceTier{Type: "flex"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec, srv := newRecorder(t, respond(200, `{"inputTokens":42}`, "Content-Type", "application/json"))
			c := newTestClient(t, srv.URL, srv.Client())
			got, err := c.CountTokens(context.Background(), "anthropic.claude-3-5-haiku-20241022-v1:0", tc.in)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(&CountTokensOutput{InputTokens: 42}, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			name := tc.name
			if name == "converse_input" {
				name = "converse" // the same body as ConverseTokens
			}
			checkGolden(t, "tokens/request_"+name+".txt", cvDump(rec.recorded()[0]))
		})
	}
}

func TestCountTokensErrors(t *testing.T) {
	_, srv := newRecorder(t, respond(404, `{"message":"model not found"}`, "X-Amzn-Errortype", "ResourceNotFoundException"))
	c := newTestClient(t, srv.URL, srv.Client())
	ctx := context.Background()
	var nilInput *ConverseInput
	for _, tc := range []struct {
		model string
		in    CountTokensInput
		want  string
	}{
		{"", InvokeModelTokens{Body: []byte("{}")}, "model ID is empty"},
		{"m", nil, "nil input"},
		{"m", nilInput, "nil input"},
		{"m", InvokeModelTokens{}, "Body is empty"},
		{"m", ConverseTokens{AdditionalModelRequestFields: cvRaw(`{`)}, "encoding request"},
	} {
		_, err := c.CountTokens(ctx, tc.model, tc.in)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q %#v: error %v, want it to contain %q", tc.model, tc.in, err, tc.want)
		}
	}
	_, err := c.CountTokens(ctx, "m", InvokeModelTokens{Body: []byte("{}")})
	if !IsResourceNotFound(err) {
		t.Errorf("error %v, want ResourceNotFound", err)
	}
	var e *Error
	if !errors.As(err, &e) || e.Op != "CountTokens" {
		t.Errorf("error %#v, want a *Error for CountTokens", err)
	}
}

func TestCountTokensBodyShape(t *testing.T) {
	b, err := countTokensBody(InvokeModelTokens{Body: []byte("hi")})
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"input":{"invokeModel":{"body":"aGk="}}}`; string(b) != want {
		t.Errorf("got %s, want %s", b, want)
	}
	var back struct {
		Input struct {
			Converse json.RawMessage `json:"converse"`
		} `json:"input"`
	}
	b, err = countTokensBody(ConverseTokens{})
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &back); err != nil || string(back.Input.Converse) != `{}` {
		t.Errorf("empty ConverseTokens body %s (%v)", b, err)
	}
}
