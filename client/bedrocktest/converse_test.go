package bedrocktest

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

const (
	novaPath   = "/model/amazon.nova-lite-v1%3A0"
	claudePath = "/model/anthropic.claude-3-5-haiku-20241022-v1%3A0"
)

// converseCases are Converse inputs whose answers are golden files
// testdata/converse_<name>.json and testdata/converse_stream_<name>.txt.
var converseCases = []struct {
	name, path, body string
	opts             *Options
}{
	{"text", novaPath, `{"messages":[{"role":"user","content":[{"text":"Hello there"}]}]}`, nil},
	{"system_and_history", claudePath, `{"system":[{"text":"Be brief."},{"cachePoint":{"type":"default"}}],
		"messages":[{"role":"user","content":[{"text":"Hi"}]},{"role":"assistant","content":[{"text":"Hello!"}]},
		{"role":"user","content":[{"text":"What is <2> & 3?"}]}]}`, nil},
	{"tool_use", novaPath, `{"messages":[{"role":"user","content":[{"text":"What is the weather in Paris? use get_weather"}]}],
		"toolConfig":{"tools":[{"toolSpec":{"name":"get_weather","description":"Weather by city","inputSchema":{"json":{"type":"object","properties":{"city":{"type":"string"},"days":{"type":"integer"}}}}}}]}}`, nil},
	{"tool_choice_json_input", novaPath, `{"messages":[{"role":"user","content":[{"text":"Look up {\"city\": \"Zürich\", \"days\": 3}"}]}],
		"toolConfig":{"tools":[{"toolSpec":{"name":"get_weather","inputSchema":{"json":{"type":"object"}}}}],"toolChoice":{"tool":{"name":"get_weather"}}}}`, nil},
	{"tool_result", novaPath, `{"messages":[{"role":"user","content":[{"text":"use get_weather"}]},
		{"role":"assistant","content":[{"toolUse":{"toolUseId":"tooluse_1","name":"get_weather","input":{"city":"Paris"}}}]},
		{"role":"user","content":[{"toolResult":{"toolUseId":"tooluse_1","content":[{"json":{"temp":21}},{"text":"sunny"}],"status":"success"}}]}],
		"toolConfig":{"tools":[{"toolSpec":{"name":"get_weather","inputSchema":{"json":{"type":"object"}}}}]}}`, nil},
	{"reasoning", claudePath, `{"messages":[{"role":"user","content":[{"text":"Think about this"}]}],
		"additionalModelRequestFields":{"thinking":{"type":"enabled","budget_tokens":1024}}}`, nil},
	{"citations", claudePath, `{"messages":[{"role":"user","content":[{"document":{"name":"facts","format":"txt","source":{"text":"The sky is blue. Grass is green."},"citations":{"enabled":true}}},{"text":"What colour is the sky?"}]}]}`, nil},
	{"max_tokens", novaPath, `{"messages":[{"role":"user","content":[{"text":"one two three four five"}]}],"inferenceConfig":{"maxTokens":3}}`, nil},
	{"stop_sequence", novaPath, `{"messages":[{"role":"user","content":[{"text":"alpha STOP beta"}]}],"inferenceConfig":{"stopSequences":["STOP"]},
		"performanceConfig":{"latency":"optimized"},"serviceTier":{"type":"priority"}}`, nil},
	{"structured_output", claudePath, `{"messages":[{"role":"user","content":[{"text":"Extract the person"}]}],
		"outputConfig":{"textFormat":{"type":"json_schema","structure":{"jsonSchema":{"name":"person","schema":"{\"type\":\"object\",\"properties\":{\"name\":{\"type\":\"string\"},\"age\":{\"type\":\"integer\"}}}"}}}}}`, nil},
	{"guardrail", novaPath, `{"messages":[{"role":"user","content":[{"text":"tell me about Badword please"}]}],
		"guardrailConfig":{"guardrailIdentifier":"abc123","guardrailVersion":"1"}}`, &Options{GuardrailDenyList: []string{"badword"}}},
}

func TestConverseGolden(t *testing.T) {
	for _, tc := range converseCases {
		t.Run(tc.name, func(t *testing.T) {
			s := newServer(t, tc.opts)
			resp, body := send(t, s, http.MethodPost, tc.path+"/converse", tc.body)
			if resp.StatusCode != 200 {
				t.Fatalf("status %d: %s", resp.StatusCode, body)
			}
			if got := resp.Header.Get("Content-Type"); got != "application/json" {
				t.Errorf("Content-Type = %q", got)
			}
			golden(t, "converse_"+tc.name+".json", append(body, '\n'))

			resp, body = send(t, s, http.MethodPost, tc.path+"/converse-stream", tc.body)
			if resp.StatusCode != 200 {
				t.Fatalf("stream status %d: %s", resp.StatusCode, body)
			}
			if got := resp.Header.Get("Content-Type"); got != "application/vnd.amazon.eventstream" {
				t.Errorf("stream Content-Type = %q", got)
			}
			golden(t, "converse_stream_"+tc.name+".txt", []byte(strings.Join(streamEvents(t, body), "\n")+"\n"))
		})
	}
}

// TestConverseStreamBytes pins the exact wire bytes of one stream: header
// order, padding, CRCs.
func TestConverseStreamBytes(t *testing.T) {
	s := newServer(t, nil)
	_, body := send(t, s, http.MethodPost, novaPath+"/converse-stream", `{"messages":[{"role":"user","content":[{"text":"Hi"}]}]}`)
	golden(t, "converse_stream_hi.bin", body)
}

// TestConverseStreamFoldsToConverse checks that the stream carries the same
// message as the unary answer, for every golden case.
func TestConverseStreamFoldsToConverse(t *testing.T) {
	for _, tc := range converseCases {
		s := newServer(t, tc.opts)
		_, unary := send(t, s, http.MethodPost, tc.path+"/converse", tc.body)
		_, stream := send(t, s, http.MethodPost, tc.path+"/converse-stream", tc.body)
		var want struct {
			Output struct {
				Message struct {
					Content []map[string]json.RawMessage `json:"content"`
				} `json:"message"`
			} `json:"output"`
			StopReason string `json:"stopReason"`
		}
		if err := json.Unmarshal(unary, &want); err != nil {
			t.Fatal(err)
		}
		texts, stop := foldStream(t, stream)
		var wantTexts []string
		for _, b := range want.Output.Message.Content {
			switch {
			case b["text"] != nil:
				var s string
				json.Unmarshal(b["text"], &s)
				wantTexts = append(wantTexts, "text:"+s)
			case b["toolUse"] != nil:
				var tu struct {
					Input json.RawMessage `json:"input"`
				}
				json.Unmarshal(b["toolUse"], &tu)
				wantTexts = append(wantTexts, "tool:"+string(tu.Input))
			case b["reasoningContent"] != nil:
				var rc struct {
					ReasoningText struct{ Text, Signature string } `json:"reasoningText"`
				}
				json.Unmarshal(b["reasoningContent"], &rc)
				wantTexts = append(wantTexts, "reasoning:"+rc.ReasoningText.Text+"|"+rc.ReasoningText.Signature)
			case b["citationsContent"] != nil:
				var cc struct {
					Content []struct{ Text string } `json:"content"`
				}
				json.Unmarshal(b["citationsContent"], &cc)
				wantTexts = append(wantTexts, "text:"+cc.Content[0].Text)
			}
		}
		if diff := cmp.Diff(wantTexts, texts); diff != "" {
			t.Errorf("%s: stream content differs from Converse (-want +got):\n%s", tc.name, diff)
		}
		if stop != want.StopReason {
			t.Errorf("%s: stream stop reason %q, Converse %q", tc.name, stop, want.StopReason)
		}
	}
}

// foldStream assembles the blocks of a ConverseStream body.
func foldStream(t *testing.T, body []byte) ([]string, string) {
	var blocks []string
	var kinds []string
	stop := ""
	for _, line := range streamEvents(t, body) {
		_, rest, _ := strings.Cut(line, " ")
		name, payload, _ := strings.Cut(rest, " ")
		var ev struct {
			Index int `json:"contentBlockIndex"`
			Start struct {
				ToolUse json.RawMessage `json:"toolUse"`
			} `json:"start"`
			Delta struct {
				Text      *string `json:"text"`
				ToolUse   *struct{ Input string }
				Reasoning *struct {
					Text      *string `json:"text"`
					Signature *string `json:"signature"`
				} `json:"reasoningContent"`
			} `json:"delta"`
			StopReason string `json:"stopReason"`
		}
		if err := json.Unmarshal([]byte(payload), &ev); err != nil {
			t.Fatalf("%s: %v", line, err)
		}
		for len(blocks) <= ev.Index && (name == "contentBlockDelta" || name == "contentBlockStart") {
			blocks = append(blocks, "")
			kinds = append(kinds, "")
		}
		switch name {
		case "contentBlockStart":
			kinds[ev.Index] = "tool:"
		case "contentBlockDelta":
			d := ev.Delta
			switch {
			case d.Text != nil:
				if kinds[ev.Index] == "" {
					kinds[ev.Index] = "text:"
				}
				blocks[ev.Index] += *d.Text
			case d.ToolUse != nil:
				blocks[ev.Index] += d.ToolUse.Input
			case d.Reasoning != nil:
				kinds[ev.Index] = "reasoning:"
				if d.Reasoning.Text != nil {
					blocks[ev.Index] += *d.Reasoning.Text
				}
				if d.Reasoning.Signature != nil {
					blocks[ev.Index] += "|" + *d.Reasoning.Signature
				}
			}
		case "messageStop":
			stop = ev.StopReason
		}
	}
	for i := range blocks {
		blocks[i] = kinds[i] + blocks[i]
	}
	return blocks, stop
}

func TestConverseValidation(t *testing.T) {
	tests := []struct {
		name, path, body string
		status           int
		typ, message     string
	}{
		{"no messages", novaPath, `{"messages":[]}`, 400, "ValidationException",
			"A conversation must start with a user message. Try again with a conversation that starts with a user message."},
		{"messages missing", novaPath, `{}`, 400, "ValidationException",
			"A conversation must start with a user message. Try again with a conversation that starts with a user message."},
		{"first not user", novaPath, `{"messages":[{"role":"assistant","content":[{"text":"Hi"}]}]}`, 400, "ValidationException",
			"A conversation must start with a user message. Try again with a conversation that starts with a user message."},
		{"not alternating", novaPath, `{"messages":[{"role":"user","content":[{"text":"a"}]},{"role":"user","content":[{"text":"b"}]}]}`, 400, "ValidationException",
			"A conversation must alternate between user and assistant roles. Make sure the conversation alternates between user and assistant roles and try again."},
		{"bad role", novaPath, `{"messages":[{"role":"user","content":[{"text":"a"}]},{"role":"robot","content":[{"text":"b"}]}]}`, 400, "ValidationException",
			"1 validation error detected: Value 'robot' at 'messages.2.member.role' failed to satisfy constraint: Member must satisfy enum value set: [user, assistant]"},
		{"empty content", novaPath, `{"messages":[{"role":"user","content":[]}]}`, 400, "ValidationException",
			"The content field in the Message object at messages.0 is empty. Add a ContentBlock object to the content field and try again."},
		{"blank text", novaPath, `{"messages":[{"role":"user","content":[{"text":"  "}]}]}`, 400, "ValidationException",
			"The text field in the ContentBlock object at messages.0.content.0 is blank. Add text to the text field, and try again."},
		{"two union members", novaPath, `{"messages":[{"role":"user","content":[{"text":"a","image":{}}]}]}`, 400, "ValidationException",
			"The ContentBlock object at messages.0.content.0 must set exactly one of the following keys: " + contentKeys + "."},
		{"tool blocks without toolConfig", novaPath, `{"messages":[{"role":"user","content":[{"text":"a"}]},{"role":"assistant","content":[{"toolUse":{"toolUseId":"t","name":"n","input":{}}}]}]}`, 400, "ValidationException",
			"The toolConfig field must be defined when using toolUse and toolResult content blocks."},
		{"maxTokens zero", novaPath, `{"messages":[{"role":"user","content":[{"text":"a"}]}],"inferenceConfig":{"maxTokens":0}}`, 400, "ValidationException",
			"1 validation error detected: Value '0' at 'inferenceConfig.maxTokens' failed to satisfy constraint: Member must have value greater than or equal to 1"},
		{"temperature", novaPath, `{"messages":[{"role":"user","content":[{"text":"a"}]}],"inferenceConfig":{"temperature":1.5}}`, 400, "ValidationException",
			"1 validation error detected: Value '1.5' at 'inferenceConfig.temperature' failed to satisfy constraint: Member must have value less than or equal to 1"},
		{"bad output schema", novaPath, `{"messages":[{"role":"user","content":[{"text":"a"}]}],"outputConfig":{"textFormat":{"type":"json_schema","structure":{"jsonSchema":{"schema":"{nope"}}}}}`, 400, "ValidationException",
			"The JSON schema at outputConfig.textFormat.structure.jsonSchema.schema is not valid JSON."},
		{"malformed JSON", novaPath, `{"messages":`, 400, "ValidationException",
			"Malformed input request, please reformat your input and try again."},
		{"wrong type", novaPath, `{"messages":"hi"}`, 400, "ValidationException",
			"1 validation error detected: Value at 'messages' failed to satisfy constraint: Member must be of type list"},
		{"model not found", "/model/amazon.nova-nonexistent-v9%3A0", `{"messages":[{"role":"user","content":[{"text":"a"}]}]}`, 400, "ValidationException",
			"The provided model identifier is invalid."},
		{"embedding model", "/model/amazon.titan-embed-text-v2%3A0", `{"messages":[{"role":"user","content":[{"text":"a"}]}]}`, 400, "ValidationException",
			"This action doesn't support the model that you provided. Try again with a supported text or chat model."},
		{"speech model", "/model/amazon.nova-sonic-v1%3A0", `{"messages":[{"role":"user","content":[{"text":"a"}]}]}`, 400, "ValidationException",
			"This action doesn't support the model that you provided. Try again with a supported text or chat model."},
	}
	s := newServer(t, nil)
	for _, tc := range tests {
		for _, op := range []string{"/converse", "/converse-stream"} {
			resp, body := send(t, s, http.MethodPost, tc.path+op, tc.body)
			status, typ, msg := errorOf(t, resp, body)
			if status != tc.status || typ != tc.typ || msg != tc.message {
				t.Errorf("%s %s: got %d %s %q, want %d %s %q", tc.name, op, status, typ, msg, tc.status, tc.typ, tc.message)
			}
			if got := resp.Header.Get("X-Amzn-Errortype"); got != tc.typ+":http://internal.amazon.com/coral/com.amazon.bedrock/" {
				t.Errorf("%s: x-amzn-ErrorType = %q", tc.name, got)
			}
			if resp.Header.Get("X-Amzn-Requestid") == "" {
				t.Errorf("%s: no request ID", tc.name)
			}
		}
	}
}

// TestConverseModelIDForms checks that inference profiles, ARNs (with %2F)
// and provisioned forms resolve like the base model.
func TestConverseModelIDForms(t *testing.T) {
	s := newServer(t, nil)
	for _, path := range []string{
		"/model/us.amazon.nova-lite-v1%3A0",
		"/model/arn%3Aaws%3Abedrock%3Aus-east-1%3A%3Afoundation-model%2Famazon.nova-lite-v1%3A0",
		"/model/arn%3Aaws%3Abedrock%3Aus-east-1%3A123456789012%3Ainference-profile%2Fus.amazon.nova-lite-v1%3A0",
	} {
		resp, body := send(t, s, http.MethodPost, path+"/converse", `{"messages":[{"role":"user","content":[{"text":"x"}]}]}`)
		if resp.StatusCode != 200 {
			t.Errorf("%s: %d %s", path, resp.StatusCode, body)
		}
	}
}
