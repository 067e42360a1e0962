package bedrocktest

import (
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestCountTokens(t *testing.T) {
	s := newServer(t, nil)
	invokeBody := base64.StdEncoding.EncodeToString([]byte(`{"anthropic_version":"bedrock-2023-05-31","max_tokens":10,"messages":[{"role":"user","content":"one two three"}]}`))
	tests := []struct {
		name, path, body string
		status           int
		want             string
	}{
		{"converse", claudePath, `{"input":{"converse":{"system":[{"text":"be nice"}],"messages":[{"role":"user","content":[{"text":"count these four words"}]}]}}}`, 200, `{"inputTokens":6}`},
		{"invokeModel", claudePath, `{"input":{"invokeModel":{"body":"` + invokeBody + `"}}}`, 200, `{"inputTokens":3}`},
		{"no input", claudePath, `{}`, 400, `{"message":"1 validation error detected: Value null at 'input' failed to satisfy constraint: Member must not be null"}`},
		{"two members", claudePath, `{"input":{"converse":{},"invokeModel":{}}}`, 400, `{"message":"The CountTokensInput object at input must set exactly one of the following keys: invokeModel, converse."}`},
		{"bad converse", claudePath, `{"input":{"converse":{"messages":[{"role":"assistant","content":[{"text":"x"}]}]}}}`, 400,
			`{"message":"A conversation must start with a user message. Try again with a conversation that starts with a user message."}`},
		{"body not base64", claudePath, `{"input":{"invokeModel":{"body":"%%%"}}}`, 400,
			`{"message":"1 validation error detected: Value at 'input.invokeModel.body' failed to satisfy constraint: Member must be a base64-encoded blob"}`},
		{"model without CountTokens", novaPath, `{"input":{"converse":{"messages":[{"role":"user","content":[{"text":"x"}]}]}}}`, 400,
			`{"message":"The provided model doesn't support counting tokens."}`},
	}
	for _, tc := range tests {
		resp, body := send(t, s, http.MethodPost, tc.path+"/count-tokens", tc.body)
		if resp.StatusCode != tc.status || string(body) != tc.want {
			t.Errorf("%s: got %d %s\nwant %d %s", tc.name, resp.StatusCode, body, tc.status, tc.want)
		}
	}
}

func TestApplyGuardrail(t *testing.T) {
	s := newServer(t, &Options{GuardrailDenyList: []string{"forbidden"}})
	resp, body := send(t, s, http.MethodPost, "/guardrail/gr1abc/version/DRAFT/apply", `{"source":"INPUT","content":[{"text":{"text":"a harmless sentence"}}]}`)
	if resp.StatusCode != 200 {
		t.Fatalf("%d %s", resp.StatusCode, body)
	}
	golden(t, "guardrail_none.json", append(body, '\n'))
	_, body = send(t, s, http.MethodPost, "/guardrail/arn%3Aaws%3Abedrock%3Aus-east-1%3A123456789012%3Aguardrail%2Fgr1abc/version/3/apply",
		`{"source":"OUTPUT","content":[{"text":{"text":"this is FORBIDDEN text"}}],"outputScope":"FULL"}`)
	golden(t, "guardrail_intervened.json", append(body, '\n'))

	for _, tc := range []struct{ name, path, body, msg string }{
		{"bad version", "/guardrail/gr1abc/version/v1/apply", `{"source":"INPUT","content":[]}`,
			"1 validation error detected: Value 'v1' at 'guardrailVersion' failed to satisfy constraint: Member must satisfy regular expression pattern: (([1-9][0-9]{0,7})|(DRAFT))"},
		{"bad id", "/guardrail/GR_1/version/1/apply", `{"source":"INPUT","content":[]}`, "1 validation error detected: Value 'GR_1' at 'guardrailIdentifier'"},
		{"bad source", "/guardrail/gr1/version/1/apply", `{"source":"BOTH","content":[]}`,
			"1 validation error detected: Value 'BOTH' at 'source' failed to satisfy constraint: Member must satisfy enum value set: [INPUT, OUTPUT]"},
		{"no source", "/guardrail/gr1/version/1/apply", `{"content":[]}`,
			"1 validation error detected: Value null at 'source' failed to satisfy constraint: Member must not be null"},
	} {
		resp, body := send(t, s, http.MethodPost, tc.path, tc.body)
		status, typ, msg := errorOf(t, resp, body)
		if status != 400 || typ != "ValidationException" || !strings.HasPrefix(msg, tc.msg) {
			t.Errorf("%s: got %d %s %q", tc.name, status, typ, msg)
		}
	}
}

func TestInvokeGuardrailChecks(t *testing.T) {
	s := newServer(t, &Options{GuardrailDenyList: []string{"forbidden"}})
	_, body := send(t, s, http.MethodPost, "/guardrail-checks/invoke", `{"messages":[{"role":"user","content":[{"text":{"text":"forbidden words"}}]}],
		"checks":{"contentFilter":{"categories":[{"category":"HATE"},{"category":"VIOLENCE"}]},"promptAttack":{"categories":[{"category":"JAILBREAK"}]},"sensitiveInformation":{"entities":[{"type":"EMAIL"}]}}}`)
	golden(t, "guardrail_checks.json", append(body, '\n'))
	resp, body := send(t, s, http.MethodPost, "/guardrail-checks/invoke", `{"messages":[]}`)
	if status, _, msg := errorOf(t, resp, body); status != 400 || !strings.Contains(msg, "'checks'") {
		t.Errorf("got %d %q", status, msg)
	}
}

func TestAsyncInvoke(t *testing.T) {
	now := testTime
	s := newServer(t, &Options{Clock: func() time.Time { return now }})
	start := `{"clientRequestToken":"tok-1","modelId":"amazon.nova-reel-v1:0","modelInput":{"taskType":"TEXT_VIDEO","textToVideoParams":{"text":"waves"}},"outputDataConfig":{"s3OutputDataConfig":{"s3Uri":"s3://my-bucket/out"}}}`
	resp, body := send(t, s, http.MethodPost, "/async-invoke", start)
	if resp.StatusCode != 200 {
		t.Fatalf("%d %s", resp.StatusCode, body)
	}
	const arn = "arn:aws:bedrock:us-east-1:123456789012:async-invoke/000000000001"
	if string(body) != `{"invocationArn":"`+arn+`"}` {
		t.Fatalf("start: %s", body)
	}
	// Idempotent on the client token.
	if _, again := send(t, s, http.MethodPost, "/async-invoke", start); string(again) != string(body) {
		t.Errorf("same token gave %s", again)
	}
	rec, _ := s.LastRequest()
	if rec.ModelID != "amazon.nova-reel-v1:0" {
		t.Errorf("recorded model %q", rec.ModelID)
	}
	now = now.Add(time.Minute)
	send(t, s, http.MethodPost, "/async-invoke", strings.Replace(start, "tok-1", "tok-2", 1))

	escaped := "/async-invoke/" + url.PathEscape(arn)
	_, body = send(t, s, http.MethodGet, escaped, "")
	golden(t, "async_get_inprogress.json", append(body, '\n'))
	now = now.Add(time.Minute)
	_, body = send(t, s, http.MethodGet, escaped, "")
	golden(t, "async_get_completed.json", append(body, '\n'))

	_, body = send(t, s, http.MethodGet, "/async-invoke?maxResults=1&sortOrder=Ascending", "")
	golden(t, "async_list_page1.json", append(body, '\n'))
	_, body = send(t, s, http.MethodGet, "/async-invoke?maxResults=1&sortOrder=Ascending&nextToken=b2Zmc2V0OjE", "")
	golden(t, "async_list_page2.json", append(body, '\n'))
	_, body = send(t, s, http.MethodGet, "/async-invoke?statusEquals=Completed&submitTimeAfter="+url.QueryEscape(testTime.Add(30*time.Second).Format(time.RFC3339)), "")
	if strings.Count(string(body), "invocationArn") != 1 {
		t.Errorf("filtered list: %s", body)
	}

	for _, tc := range []struct{ name, method, path, body, msg string }{
		{"no output", "POST", "/async-invoke", `{"modelId":"amazon.nova-reel-v1:0","modelInput":{}}`, "1 validation error detected: Value null at 'outputDataConfig'"},
		{"bad s3", "POST", "/async-invoke", `{"modelId":"amazon.nova-reel-v1:0","modelInput":{},"outputDataConfig":{"s3OutputDataConfig":{"s3Uri":"http://x"}}}`, "1 validation error detected: Value 'http://x'"},
		{"text model", "POST", "/async-invoke", `{"modelId":"amazon.nova-lite-v1:0","modelInput":{},"outputDataConfig":{"s3OutputDataConfig":{"s3Uri":"s3://b/o"}}}`, "The provided model doesn't support asynchronous invocation."},
		{"unknown ARN", "GET", "/async-invoke/" + url.PathEscape("arn:aws:bedrock:us-east-1:123456789012:async-invoke/ffffffffffff"), "", "Invocation with ARN"},
		{"bad token", "GET", "/async-invoke?nextToken=zzz", "", "The provided nextToken is invalid."},
		{"bad maxResults", "GET", "/async-invoke?maxResults=0", "", "1 validation error detected: Value '0' at 'maxResults'"},
		{"bad status", "GET", "/async-invoke?statusEquals=Done", "", "1 validation error detected: Value 'Done' at 'statusEquals'"},
		{"bad sortOrder", "GET", "/async-invoke?sortOrder=Up", "", "1 validation error detected: Value 'Up' at 'sortOrder' failed to satisfy constraint: Member must satisfy enum value set: [Ascending, Descending]"},
		{"bad sortBy", "GET", "/async-invoke?sortBy=CreationTime", "", "1 validation error detected: Value 'CreationTime' at 'sortBy' failed to satisfy constraint: Member must satisfy enum value set: [SubmissionTime]"},
		{"bad time", "GET", "/async-invoke?submitTimeBefore=yesterday", "", "1 validation error detected: Value 'yesterday' at 'submitTimeBefore' failed to satisfy constraint: Member must be a timestamp"},
		// base64 "jobs:1": a batch-listing token is no async-listing token.
		{"foreign token", "GET", "/async-invoke?nextToken=am9iczox", "", "The provided nextToken is invalid."},
	} {
		resp, body := send(t, s, tc.method, tc.path, tc.body)
		status, typ, msg := errorOf(t, resp, body)
		if status != 400 || typ != "ValidationException" || !strings.HasPrefix(msg, tc.msg) {
			t.Errorf("%s: got %d %s %q", tc.name, status, typ, msg)
		}
	}
}
