package bedrocktest

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"image/png"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var invokeCases = []struct {
	name, model, body string
}{
	{"anthropic", "anthropic.claude-3-5-haiku-20241022-v1:0", `{"anthropic_version":"bedrock-2023-05-31","max_tokens":100,"messages":[{"role":"user","content":"Hello Claude"}]}`},
	{"anthropic_blocks", "anthropic.claude-sonnet-4-5-20250929-v1:0", `{"anthropic_version":"bedrock-2023-05-31","max_tokens":2,"messages":[{"role":"user","content":[{"type":"text","text":"Hello in blocks"}]}]}`},
	{"nova", "amazon.nova-lite-v1:0", `{"schemaVersion":"messages-v1","messages":[{"role":"user","content":[{"text":"Hello Nova"}]}],"inferenceConfig":{"max_new_tokens":50}}`},
	{"titan_text", "amazon.titan-text-express-v1", `{"inputText":"Hello Titan","textGenerationConfig":{"maxTokenCount":50}}`},
	{"llama", "meta.llama3-8b-instruct-v1:0", `{"prompt":"Hello Llama","max_gen_len":50}`},
	{"mistral", "mistral.mistral-7b-instruct-v0:2", `{"prompt":"<s>[INST] Hello Mistral [/INST]","max_tokens":50}`},
	{"openai", "openai.gpt-oss-20b-1:0", `{"messages":[{"role":"user","content":"Hello GPT"}],"max_tokens":50}`},
}

func modelPath(id string) string {
	return "/model/" + strings.ReplaceAll(strings.ReplaceAll(id, ":", "%3A"), "/", "%2F")
}

func TestInvokeGolden(t *testing.T) {
	for _, tc := range invokeCases {
		t.Run(tc.name, func(t *testing.T) {
			s := newServer(t, nil)
			resp, body := send(t, s, http.MethodPost, modelPath(tc.model)+"/invoke", tc.body)
			if resp.StatusCode != 200 {
				t.Fatalf("status %d: %s", resp.StatusCode, body)
			}
			for _, h := range []string{"X-Amzn-Bedrock-Input-Token-Count", "X-Amzn-Bedrock-Output-Token-Count", "X-Amzn-Bedrock-Invocation-Latency", "X-Amzn-Requestid"} {
				if resp.Header.Get(h) == "" {
					t.Errorf("missing header %s", h)
				}
			}
			golden(t, "invoke_"+tc.name+".json", append(body, '\n'))

			r := sign(t, func() *http.Request {
				r := req(t, s, http.MethodPost, modelPath(tc.model)+"/invoke-with-response-stream", []byte(tc.body))
				r.Header.Set("X-Amzn-Bedrock-Accept", "application/json")
				return r
			}(), DefaultCredentials)
			resp, body = do(t, s, r)
			if resp.StatusCode != 200 {
				t.Fatalf("stream status %d: %s", resp.StatusCode, body)
			}
			if got := resp.Header.Get("X-Amzn-Bedrock-Content-Type"); got != "application/json" {
				t.Errorf("X-Amzn-Bedrock-Content-Type = %q", got)
			}
			golden(t, "invoke_stream_"+tc.name+".txt", []byte(strings.Join(streamEvents(t, body), "\n")+"\n"))
		})
	}
}

func TestInvokeEchoesPerformanceHeaders(t *testing.T) {
	s := newServer(t, nil)
	r := req(t, s, http.MethodPost, modelPath("amazon.nova-lite-v1:0")+"/invoke", []byte(`{"messages":[{"role":"user","content":[{"text":"x"}]}]}`))
	r.Header.Set("X-Amzn-Bedrock-PerformanceConfig-Latency", "optimized")
	r.Header.Set("X-Amzn-Bedrock-Service-Tier", "priority")
	resp, body := do(t, s, sign(t, r, DefaultCredentials))
	if resp.StatusCode != 200 {
		t.Fatalf("%d %s", resp.StatusCode, body)
	}
	if got := resp.Header.Get("X-Amzn-Bedrock-PerformanceConfig-Latency"); got != "optimized" {
		t.Errorf("latency header %q", got)
	}
	if got := resp.Header.Get("X-Amzn-Bedrock-Service-Tier"); got != "priority" {
		t.Errorf("service tier header %q", got)
	}
}

func TestInvokeEmbeddings(t *testing.T) {
	s := newServer(t, nil)
	tests := []struct {
		name, model, body string
		dim               int
		text              string
		normalize         bool
		vectors           func(body []byte) [][]float32
	}{
		{"titan v2 default", "amazon.titan-embed-text-v2:0", `{"inputText":"hello world"}`, 1024, "hello world", true, titanVec},
		{"titan v2 256", "amazon.titan-embed-text-v2:0", `{"inputText":"hello world","dimensions":256,"normalize":false}`, 256, "hello world", false, titanVec},
		{"titan v1", "amazon.titan-embed-text-v1", `{"inputText":"hi"}`, 1536, "hi", true, titanVec},
		{"cohere", "cohere.embed-english-v3", `{"texts":["a b","c"],"input_type":"search_document"}`, 1024, "a b", true, func(b []byte) [][]float32 {
			var r struct{ Embeddings [][]float32 }
			json.Unmarshal(b, &r)
			return r.Embeddings
		}},
		{"nova embeddings", "amazon.nova-2-multimodal-embeddings-v1:0", `{"taskType":"SINGLE_EMBEDDING","singleEmbeddingParams":{"embeddingPurpose":"GENERIC_INDEX","embeddingDimension":384,"text":{"truncationMode":"END","value":"hello"}}}`, 384, "hello", true, func(b []byte) [][]float32 {
			var r struct {
				Embeddings []struct{ Embedding []float32 }
			}
			json.Unmarshal(b, &r)
			var out [][]float32
			for _, e := range r.Embeddings {
				out = append(out, e.Embedding)
			}
			return out
		}},
	}
	for _, tc := range tests {
		resp, body := send(t, s, http.MethodPost, modelPath(tc.model)+"/invoke", tc.body)
		if resp.StatusCode != 200 {
			t.Errorf("%s: %d %s", tc.name, resp.StatusCode, body)
			continue
		}
		vs := tc.vectors(body)
		if len(vs) == 0 || len(vs[0]) != tc.dim {
			t.Errorf("%s: got %d vectors, first of length %d; want dimension %d", tc.name, len(vs), len(vs[0]), tc.dim)
			continue
		}
		if diff := cmp.Diff(Vector(tc.text, tc.dim, tc.normalize), vs[0]); diff != "" {
			t.Errorf("%s: vector differs from Vector (-want +got):\n%.500s", tc.name, diff)
		}
	}
	// The same text always gives the same vector; different texts differ.
	if cmp.Equal(Vector("a", 8, true), Vector("b", 8, true)) {
		t.Error("Vector ignores its text")
	}
	var sum float64
	for _, x := range Vector("norm", 256, true) {
		sum += float64(x) * float64(x)
	}
	if sum < 0.999 || sum > 1.001 {
		t.Errorf("normalized vector has squared norm %v", sum)
	}
	// A small golden, to pin the exact wire form.
	_, body := send(t, s, http.MethodPost, modelPath("amazon.titan-embed-text-v2:0")+"/invoke", `{"inputText":"golden","dimensions":256}`)
	golden(t, "invoke_titan_embed_v2_256.json", append(body, '\n'))
}

func titanVec(b []byte) [][]float32 {
	var r struct{ Embedding []float32 }
	json.Unmarshal(b, &r)
	return [][]float32{r.Embedding}
}

func TestInvokeImage(t *testing.T) {
	s := newServer(t, nil)
	for _, model := range []string{"amazon.nova-canvas-v1:0", "amazon.titan-image-generator-v2:0"} {
		resp, body := send(t, s, http.MethodPost, modelPath(model)+"/invoke",
			`{"taskType":"TEXT_IMAGE","textToImageParams":{"text":"a red fox"},"imageGenerationConfig":{"numberOfImages":2,"width":64,"height":48,"seed":7}}`)
		if resp.StatusCode != 200 {
			t.Fatalf("%s: %d %s", model, resp.StatusCode, body)
		}
		var out struct{ Images []string }
		if err := json.Unmarshal(body, &out); err != nil {
			t.Fatal(err)
		}
		if len(out.Images) != 2 {
			t.Fatalf("%s: %d images", model, len(out.Images))
		}
		for i, b64 := range out.Images {
			raw, err := base64.StdEncoding.DecodeString(b64)
			if err != nil {
				t.Fatal(err)
			}
			img, err := png.Decode(bytes.NewReader(raw))
			if err != nil {
				t.Fatalf("%s image %d: not a PNG: %v", model, i, err)
			}
			if b := img.Bounds(); b.Dx() != 64 || b.Dy() != 48 {
				t.Errorf("%s image %d: %v", model, i, b)
			}
			if !bytes.Equal(raw, Image("a red fox", 7, i, 64, 48)) {
				t.Errorf("%s image %d differs from Image()", model, i)
			}
		}
		if bytes.Equal(Image("a", 0, 0, 16, 16), Image("b", 0, 0, 16, 16)) {
			t.Error("Image ignores its prompt")
		}
	}
}

func TestInvokeValidation(t *testing.T) {
	tests := []struct {
		name, path, body string
		status           int
		typ, message     string
	}{
		{"anthropic without version", modelPath("anthropic.claude-3-5-haiku-20241022-v1:0") + "/invoke", `{"max_tokens":10,"messages":[{"role":"user","content":"x"}]}`, 400, "ValidationException",
			"Malformed input request: #: required key [anthropic_version] not found, please reformat your input and try again."},
		{"titan without inputText", modelPath("amazon.titan-text-express-v1") + "/invoke", `{"prompt":"x"}`, 400, "ValidationException",
			"Malformed input request: #: required key [inputText] not found, please reformat your input and try again."},
		{"not JSON", modelPath("amazon.titan-text-express-v1") + "/invoke", `hello`, 400, "ValidationException",
			"Malformed input request, please reformat your input and try again."},
		{"bad dimension", modelPath("amazon.titan-embed-text-v2:0") + "/invoke", `{"inputText":"x","dimensions":100}`, 400, "ValidationException",
			"Malformed input request: #/dimensions: 100 is not a valid enum value, please reformat your input and try again."},
		{"image without text", modelPath("amazon.nova-canvas-v1:0") + "/invoke", `{"taskType":"TEXT_IMAGE","textToImageParams":{}}`, 400, "ValidationException",
			"Malformed input request: #/textToImageParams: required key [text] not found, please reformat your input and try again."},
		{"embedding stream", modelPath("amazon.titan-embed-text-v2:0") + "/invoke-with-response-stream", `{"inputText":"x"}`, 400, "ValidationException",
			"The model is unsupported for streaming."},
		{"unknown model", modelPath("acme.nothing-v1:0") + "/invoke", `{}`, 400, "ValidationException",
			"The provided model identifier is invalid."},
		{"sonic via invoke", modelPath("amazon.nova-sonic-v1:0") + "/invoke", `{}`, 400, "ValidationException",
			apiMessages["InvokeModel"]},
	}
	s := newServer(t, nil)
	for _, tc := range tests {
		resp, body := send(t, s, http.MethodPost, tc.path, tc.body)
		status, typ, msg := errorOf(t, resp, body)
		if status != tc.status || typ != tc.typ || msg != tc.message {
			t.Errorf("%s: got %d %s %q, want %d %s %q", tc.name, status, typ, msg, tc.status, tc.typ, tc.message)
		}
	}
}
