package main

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/bedrockwire/bedrockwire/client/bedrocktest"
)

// readEmbeddings parses every output line.
func readEmbeddings(t *testing.T, stdout string) []embedding {
	t.Helper()
	var out []embedding
	for i, line := range strings.Split(strings.TrimSuffix(stdout, "\n"), "\n") {
		var e embedding
		if err := json.Unmarshal([]byte(line), &e); err != nil {
			t.Fatalf("line %d is not JSON: %v", i+1, err)
		}
		out = append(out, e)
	}
	return out
}

// wantVector compares a vector with the emulator's for text.
func wantVector(t *testing.T, got []float64, text string, dim int, normalize bool) {
	t.Helper()
	want := bedrocktest.Vector(text, dim, normalize)
	if len(got) != len(want) {
		t.Fatalf("vector of %q has %d values, want %d", text, len(got), len(want))
	}
	for i := range want {
		if float32(got[i]) != want[i] {
			t.Fatalf("vector of %q differs at %d: %v, want %v", text, i, got[i], want[i])
		}
	}
}

func TestEmbedFamilies(t *testing.T) {
	tests := []struct {
		model string
		args  []string
		dim   int
		body  string // the first request body
	}{
		{"amazon.titan-embed-text-v2:0", []string{"--dimensions", "256"}, 256, `{"inputText":"hello world","dimensions":256}`},
		{"amazon.titan-embed-text-v2:0", []string{"--normalize=false"}, 1024, `{"inputText":"hello world","normalize":false}`},
		{"amazon.titan-embed-text-v1", nil, 1536, `{"inputText":"hello world"}`},
		{"amazon.titan-embed-image-v1", []string{"--dimensions", "384"}, 384, `{"inputText":"hello world","embeddingConfig":{"outputEmbeddingLength":384}}`},
		{"amazon.nova-2-multimodal-embeddings-v1:0", []string{"--dimensions", "384", "--input-type", "GENERIC_RETRIEVAL"}, 384,
			`{"schemaVersion":"nova-multimodal-embed-v1","taskType":"SINGLE_EMBEDDING","singleEmbeddingParams":{"embeddingPurpose":"GENERIC_RETRIEVAL","embeddingDimension":384,"text":{"truncationMode":"END","value":"hello world"}}}`},
	}
	for _, tt := range tests {
		t.Run(tt.model+strings.Join(tt.args, ""), func(t *testing.T) {
			srv := newEmulator(t)
			r := runCLI(t, srv, append(append([]string{"embed", "-m", tt.model}, tt.args...), "hello world", "second text")...)
			r.wantOK(t, "")
			got := readEmbeddings(t, r.stdout)
			if len(got) != 2 {
				t.Fatalf("%d lines, want 2", len(got))
			}
			normalize := !strings.Contains(strings.Join(tt.args, " "), "normalize=false")
			for i, text := range []string{"hello world", "second text"} {
				if got[i].Index != i || got[i].Input != text || got[i].Dimensions != tt.dim {
					t.Errorf("line %d: index %d input %q dimensions %d", i, got[i].Index, got[i].Input, got[i].Dimensions)
				}
				wantVector(t, got[i].Embedding, text, tt.dim, normalize)
			}
			reqs := srv.Requests()
			if len(reqs) != 2 {
				t.Fatalf("%d requests, want one per text", len(reqs))
			}
			if diff := cmp.Diff(tt.body, string(reqs[0].Body)); diff != "" {
				t.Errorf("body (-want +got):\n%s", diff)
			}
		})
	}
}

func TestEmbedCohereBatchFromStdin(t *testing.T) {
	srv := newEmulator(t)
	te := newTestEnv(t, srv)
	te.stdin = "first line\n\n  second line  \nthird\n"
	r := te.run(t, context.Background(), "embed", "-m", "cohere.embed-english-v3", "--input-type", "search_query")
	r.wantOK(t, "")
	got := readEmbeddings(t, r.stdout)
	texts := []string{"first line", "second line", "third"}
	if len(got) != 3 {
		t.Fatalf("%d lines", len(got))
	}
	for i, text := range texts {
		if got[i].Input != text {
			t.Errorf("line %d input %q", i, got[i].Input)
		}
		wantVector(t, got[i].Embedding, text, 1024, true)
	}
	reqs := srv.Requests()
	if len(reqs) != 1 {
		t.Fatalf("%d requests, want 1 for all texts", len(reqs))
	}
	if want := `{"texts":["first line","second line","third"],"input_type":"search_query"}`; string(reqs[0].Body) != want {
		t.Errorf("body %s\nwant %s", reqs[0].Body, want)
	}
}

func TestEmbedOutputGolden(t *testing.T) {
	srv := newEmulator(t)
	srv.Script("", bedrocktest.Reply{Body: []byte(`{"embedding":[0.5,-0.25,1e-7],"inputTextTokenCount":2}`)},
		bedrocktest.Reply{Body: []byte(`{"embedding":[0.125,0,-1],"inputTextTokenCount":3}`)})
	r := runCLI(t, srv, "embed", "-m", "amazon.titan-embed-text-v2:0", "hello \"world\"", "naïve café")
	r.wantOK(t, "")
	golden(t, "embed.stdout", r.stdout)
}

func TestEmbedImage(t *testing.T) {
	srv := newEmulator(t)
	img := filepath.Join(t.TempDir(), "cat.png")
	if err := os.WriteFile(img, bedrocktest.Image("cat", 0, 0, 2, 2), 0o644); err != nil {
		t.Fatal(err)
	}
	r := runCLI(t, srv, "embed", "-m", "amazon.titan-embed-image-v1", "--image", img)
	r.wantOK(t, "")
	got := readEmbeddings(t, r.stdout)
	if len(got) != 1 || got[0].Input != img || got[0].Dimensions != 1024 {
		t.Fatalf("got %+v", got)
	}
	req, _ := srv.LastRequest()
	var body map[string]any
	json.Unmarshal(req.Body, &body)
	if _, ok := body["inputImage"].(string); !ok {
		t.Errorf("no inputImage in %s", req.Body)
	}
}

func TestEmbedNormalizeClientSide(t *testing.T) {
	got := embedNormalize([]float64{3, 4})
	if diff := cmp.Diff([]float64{0.6, 0.8}, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if got := embedNormalize([]float64{0, 0}); got[0] != 0 || got[1] != 0 {
		t.Errorf("zero vector became %v", got)
	}
	// Cohere with --normalize: the output has unit length.
	srv := newEmulator(t)
	srv.Script("", bedrocktest.Reply{Body: []byte(`{"id":"x","response_type":"embeddings_floats","embeddings":[[3,4]],"texts":["a"]}`)})
	r := runCLI(t, srv, "embed", "--normalize", "-m", "cohere.embed-english-v3", "a")
	r.wantOK(t, "")
	e := readEmbeddings(t, r.stdout)[0]
	var n float64
	for _, x := range e.Embedding {
		n += x * x
	}
	if math.Abs(n-1) > 1e-12 {
		t.Errorf("norm² %v, want 1: %v", n, e.Embedding)
	}
}

func TestEmbedUsageErrors(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"embed", "x"}, "a model is required: -m MODEL (see 'bedrock models --modality EMBEDDING')"},
		{[]string{"embed", "-m", "amazon.nova-lite-v1:0", "x"}, "amazon.nova-lite-v1:0 is not an embedding model bedrock knows; see 'bedrock models --modality EMBEDDING', or send the body yourself with 'bedrock invoke'"},
		{[]string{"embed", "-m", "amazon.titan-embed-text-v2:0", "--dimensions", "300", "x"}, "--dimensions 300: this model offers 256 512 1024"},
		{[]string{"embed", "-m", "amazon.titan-embed-text-v1", "--dimensions", "256", "x"}, "Titan Text Embeddings v1 has a fixed length; --dimensions needs amazon.titan-embed-text-v2:0"},
		{[]string{"embed", "-m", "cohere.embed-english-v3", "--dimensions", "256", "x"}, "Cohere Embed v3 has a fixed length of 1024; --dimensions needs cohere.embed-v4:0"},
		{[]string{"embed", "-m", "amazon.nova-2-multimodal-embeddings-v1:0", "--input-type", "nope", "x"}, `--input-type "nope": Nova takes one of GENERIC_INDEX, GENERIC_RETRIEVAL, TEXT_RETRIEVAL, IMAGE_RETRIEVAL, VIDEO_RETRIEVAL, DOCUMENT_RETRIEVAL, AUDIO_RETRIEVAL, CLASSIFICATION, CLUSTERING`},
		{[]string{"embed", "-m", "amazon.titan-embed-text-v2:0", "--input-type", "x", "x"}, "--input-type is for Cohere and Nova embedding models"},
		{[]string{"embed", "-m", "amazon.titan-embed-text-v2:0", "--image", "a.png"}, "amazon.titan-embed-text-v2:0 embeds text only; --image needs a multimodal model such as amazon.titan-embed-image-v1"},
		{[]string{"embed", "-m", "amazon.titan-embed-text-v2:0"}, "nothing to embed: give TEXT arguments or lines on stdin"},
	}
	for _, tt := range tests {
		r := runCLI(t, nil, tt.args...)
		want := "bedrock embed: " + tt.want + "\nRun 'bedrock embed --help' for details.\n"
		if r.code != exitUsage || r.stderr != want {
			t.Errorf("%q: exit %d stderr %q\nwant 2 and %q", tt.args, r.code, r.stderr, want)
		}
	}
}

func TestEmbedServiceError(t *testing.T) {
	srv := newEmulator(t)
	srv.Script("", bedrocktest.Reply{Error: bedrocktest.AccessDeniedError("You don't have access to the model with the specified model ID.")})
	r := runCLI(t, srv, "embed", "-m", "amazon.titan-embed-text-v2:0", "a", "b")
	if r.code != exitFailure || r.stdout != "" {
		t.Fatalf("exit %d stdout %q", r.code, r.stdout)
	}
	golden(t, "embed-access-denied.stderr", r.stderr)
}

func TestEmbedImageBodies(t *testing.T) {
	png := bedrocktest.Image("cat", 0, 0, 2, 2)
	img := filepath.Join(t.TempDir(), "cat.png")
	if err := os.WriteFile(img, png, 0o644); err != nil {
		t.Fatal(err)
	}
	b64 := base64.StdEncoding.EncodeToString(png)
	tests := []struct {
		model, reply string
		args         []string
		want         string
	}{
		{"amazon.nova-2-multimodal-embeddings-v1:0", `{"embeddings":[{"embeddingType":"IMAGE","embedding":[0.5,0.5]}]}`, []string{"--image", img},
			`{"schemaVersion":"nova-multimodal-embed-v1","taskType":"SINGLE_EMBEDDING","singleEmbeddingParams":{"embeddingPurpose":"GENERIC_INDEX","image":{"format":"png","source":{"bytes":"IMG"}}}}`},
		{"cohere.embed-v4:0", `{"id":"1","response_type":"embeddings_by_type","embeddings":{"float":[[0.5,0.5]]}}`, []string{"--dimensions", "256", "--image", img, "a cat"},
			`{"inputs":[{"content":[{"type":"text","text":"a cat"},{"type":"image_url","image_url":"data:image/png;base64,IMG"}]}],"input_type":"search_document","output_dimension":256}`},
		{"cohere.embed-english-v3", `{"id":"1","response_type":"embeddings_floats","embeddings":[[0.5,0.5]]}`, []string{"--image", img},
			`{"images":["data:image/png;base64,IMG"],"input_type":"image"}`},
	}
	for _, tt := range tests {
		t.Run(tt.model, func(t *testing.T) {
			srv := newEmulator(t)
			srv.Script(tt.model, bedrocktest.Reply{Body: []byte(tt.reply)})
			r := runCLI(t, srv, append([]string{"embed", "-m", tt.model}, tt.args...)...)
			r.wantOK(t, "")
			if got := readEmbeddings(t, r.stdout); len(got) != 1 || got[0].Dimensions != 2 {
				t.Errorf("output %q", r.stdout)
			}
			req, _ := srv.LastRequest()
			if diff := cmp.Diff(tt.want, strings.ReplaceAll(string(req.Body), b64, "IMG")); diff != "" {
				t.Errorf("body (-want +got):\n%s", diff)
			}
		})
	}
}
