package bedrocktest

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseRoute(t *testing.T) {
	tests := []struct {
		method, path string
		want         route
		ok           bool
	}{
		{"POST", "/model/amazon.nova-lite-v1%3A0/converse", route{op: OpConverse, modelID: "amazon.nova-lite-v1:0"}, true},
		{"POST", "/model/amazon.nova-lite-v1:0/converse", route{op: OpConverse, modelID: "amazon.nova-lite-v1:0"}, true},
		{"POST", "/model/us.anthropic.claude-3-5-haiku-20241022-v1%3A0/converse-stream", route{op: OpConverseStream, modelID: "us.anthropic.claude-3-5-haiku-20241022-v1:0"}, true},
		{"POST", "/model/arn%3Aaws%3Abedrock%3Aus-east-1%3A123456789012%3Ainference-profile%2Fus.x.y-v1%3A0/invoke",
			route{op: OpInvokeModel, modelID: "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.x.y-v1:0"}, true},
		{"POST", "/model/m/invoke-with-response-stream", route{op: OpInvokeModelWithResponseStream, modelID: "m"}, true},
		{"POST", "/model/amazon.nova-sonic-v1%3A0/invoke-with-bidirectional-stream", route{op: OpInvokeModelWithBidirectionalStream, modelID: "amazon.nova-sonic-v1:0"}, true},
		{"POST", "/model/m/count-tokens", route{op: OpCountTokens, modelID: "m"}, true},
		{"POST", "/guardrail/abc/version/DRAFT/apply", route{op: OpApplyGuardrail, guardrailID: "abc", guardrailVersion: "DRAFT"}, true},
		{"POST", "/guardrail-checks/invoke", route{op: OpInvokeGuardrailChecks}, true},
		{"POST", "/async-invoke", route{op: OpStartAsyncInvoke}, true},
		{"GET", "/async-invoke", route{op: OpListAsyncInvokes}, true},
		{"GET", "/async-invoke/arn%3Aaws%3Abedrock%3Aus-east-1%3A123456789012%3Aasync-invoke%2Fabcdefghijkl",
			route{op: OpGetAsyncInvoke, invocationARN: "arn:aws:bedrock:us-east-1:123456789012:async-invoke/abcdefghijkl"}, true},
		// An ARN whose "/" was not escaped splits the path: no operation.
		{"POST", "/model/arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.x.y-v1:0/invoke", route{}, false},
		{"GET", "/model/m/converse", route{}, false},
		{"POST", "/model//converse", route{}, false},
		{"POST", "/model/m/chat", route{}, false},
		{"POST", "/model/m%ZZ/converse", route{}, false},
		{"POST", "/", route{}, false},
		{"POST", "", route{}, false},
		{"DELETE", "/async-invoke", route{}, false},
		{"POST", "/guardrail/abc/version//apply", route{}, false},
		{"GET", "/foundation-models", route{op: OpListFoundationModels}, true},
		{"GET", "/foundation-models/amazon.titan-text-express-v1", route{op: OpGetFoundationModel, modelID: "amazon.titan-text-express-v1"}, true},
		{"GET", "/inference-profiles", route{op: OpListInferenceProfiles}, true},
		{"GET", "/inference-profiles/us.x%3A0", route{op: OpGetInferenceProfile, modelID: "us.x:0"}, true},
		{"POST", "/foundation-models", route{}, false},
	}
	for _, tc := range tests {
		got, ok := parseRoute(tc.method, tc.path)
		if ok != tc.ok || got != tc.want {
			t.Errorf("parseRoute(%s %s) = %+v, %v; want %+v, %v", tc.method, tc.path, got, ok, tc.want, tc.ok)
		}
	}
}

func TestUnknownOperation(t *testing.T) {
	s := newServer(t, nil)
	resp, body := send(t, s, "POST", "/model/m/chat", "{}")
	if resp.StatusCode != 404 || string(body) != `{"message":"Unable to determine service/operation name to be authorized"}` {
		t.Errorf("%d %s", resp.StatusCode, body)
	}
	if got := resp.Header.Get("X-Amzn-Errortype"); got != "UnknownOperationException:http://internal.amazon.com/coral/com.amazon.coral.service/" {
		t.Errorf("x-amzn-ErrorType %q", got)
	}
}

// FuzzParseRoute: any method and path are routed or refused, never a panic,
// and a routed model ID is the unescaped label.
func FuzzParseRoute(f *testing.F) {
	for _, p := range []string{"/model/a%3Ab/converse", "/guardrail/x/version/1/apply", "/async-invoke/a%2Fb", "//", "/model/%/invoke"} {
		f.Add("POST", p)
	}
	f.Fuzz(func(t *testing.T, method, path string) {
		rt, ok := parseRoute(method, path)
		if ok && rt.op == "" {
			t.Fatalf("routed %q without an operation", path)
		}
		if ok && strings.HasPrefix(path, "/model/") && rt.modelID == "" {
			t.Fatalf("routed %q without a model ID", path)
		}
	})
}

// FuzzServeHTTP feeds arbitrary paths and bodies to every operation: the
// emulator answers (any status) and never panics.
func FuzzServeHTTP(f *testing.F) {
	seeds := []struct{ method, path, body string }{
		{"POST", "/model/amazon.nova-lite-v1%3A0/converse", helloBody},
		{"POST", "/model/amazon.nova-lite-v1%3A0/converse-stream", `{"messages":[{"role":"user","content":[{"text":"a"},{"toolResult":{}}]}],"toolConfig":{"tools":[{"toolSpec":{"name":"x"}}]}}`},
		{"POST", "/model/anthropic.claude-3-5-haiku-20241022-v1%3A0/invoke", `{"anthropic_version":"x","max_tokens":1,"messages":[{"role":"user","content":[]}]}`},
		{"POST", "/model/amazon.titan-embed-text-v2%3A0/invoke", `{"inputText":"x","dimensions":256}`},
		{"POST", "/model/amazon.nova-canvas-v1%3A0/invoke", `{"taskType":"TEXT_IMAGE","textToImageParams":{"text":"x"},"imageGenerationConfig":{"width":16,"height":16}}`},
		{"POST", "/model/anthropic.claude-3-5-haiku-20241022-v1%3A0/count-tokens", `{"input":{"invokeModel":{"body":"e30="}}}`},
		{"POST", "/guardrail/a/version/1/apply", `{"source":"INPUT","content":[{"text":{"text":"x"}}]}`},
		{"POST", "/guardrail-checks/invoke", `{"messages":[],"checks":{}}`},
		{"POST", "/async-invoke", `{"modelId":"amazon.nova-reel-v1:0","modelInput":{},"outputDataConfig":{"s3OutputDataConfig":{"s3Uri":"s3://b/o"}}}`},
		{"GET", "/async-invoke?maxResults=2&nextToken=b2Zmc2V0OjE", ""},
		{"GET", "/foundation-models?byProvider=amazon&byOutputModality=TEXT", ""},
		{"POST", "/rerank", `{"queries":[{"type":"TEXT","textQuery":{"text":"a b"}}],"sources":[{"type":"INLINE","inlineDocumentSource":{"type":"TEXT","textDocument":{"text":"b"}}}],"rerankingConfiguration":{"type":"BEDROCK_RERANKING_MODEL","bedrockRerankingConfiguration":{"modelConfiguration":{"modelArn":"amazon.rerank-v1:0"}}}}`},
		{"GET", "/inference-profiles?maxResults=3&nextToken=cHJvZmlsZXM6Mg", ""},
		{"GET", "/inference-profiles/us.amazon.nova-lite-v1%3A0", ""},
		{"POST", "/model/amazon.nova-sonic-v1%3A0/invoke-with-bidirectional-stream", "\x00\x00\x00\x10\x00\x00\x00\x00\x05\xc2\x48\xeb\x7d\x98\xc8\xff"},
	}
	for _, s := range seeds {
		f.Add(s.method, s.path, []byte(s.body))
	}
	// One server for all iterations; it accepts anonymous requests so the
	// fuzzer reaches the operations.
	fuzzServer := NewUnstartedServer(&Options{Anonymous: true, NoPadding: true})
	f.Cleanup(fuzzServer.Close)
	f.Fuzz(func(t *testing.T, method, path string, body []byte) {
		if !strings.HasPrefix(path, "/") || strings.ContainsAny(path, " \r\n\t#?") {
			path = "/" + strings.NewReplacer(" ", "%20", "\r", "", "\n", "", "\t", "", "#", "", "?", "").Replace(path)
		}
		if method == "" || strings.ContainsAny(method, " \r\n\t/") {
			method = "POST"
		}
		r, err := http.NewRequest(method, "http://127.0.0.1"+path, bytes.NewReader(body))
		if err != nil {
			return
		}
		r.ProtoMajor = 2 // let the bidirectional handler run over the recorder
		w := httptest.NewRecorder()
		fuzzServer.ServeHTTP(w, r)
		if w.Code < 200 || w.Code > 599 {
			t.Fatalf("status %d", w.Code)
		}
		if w.Code >= 400 && w.Header().Get("X-Amzn-Errortype") == "" {
			t.Fatalf("error %d without x-amzn-ErrorType: %s", w.Code, w.Body.Bytes())
		}
		fuzzServer.ResetRequests()
	})
}

func TestServeHTTPWithoutListener(t *testing.T) {
	// ServeHTTP works as a plain handler too (httptest.NewRecorder).
	s := NewUnstartedServer(&Options{Anonymous: true})
	defer s.Close()
	r := httptest.NewRequest("POST", "/model/amazon.nova-lite-v1%3A0/converse", strings.NewReader(helloBody))
	w := httptest.NewRecorder()
	s.ServeHTTP(w, r)
	if w.Code != 200 || !bytes.Contains(w.Body.Bytes(), []byte("You said: Hello")) {
		t.Errorf("%d %s", w.Code, w.Body.Bytes())
	}
	if diff := cmp.Diff([]string{"application/json"}, w.Header()["Content-Type"]); diff != "" {
		t.Error(diff)
	}
}
