package bedrocktest

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

const batchCreateBody = `{"jobName":"nightly-1","roleArn":"arn:aws:iam::123456789012:role/BedrockBatch","clientRequestToken":"tok-1",` +
	`"modelId":"anthropic.claude-3-5-haiku-20241022-v1:0","inputDataConfig":{"s3InputDataConfig":{"s3Uri":"s3://in-bucket/records.jsonl","s3InputFormat":"JSONL"}},` +
	`"outputDataConfig":{"s3OutputDataConfig":{"s3Uri":"s3://out-bucket/batch/"}},"timeoutDurationInHours":48}`

// TestBatchJobLife: a job goes through its statuses one read at a time, in
// the service's member order.
func TestBatchJobLife(t *testing.T) {
	s := newServer(t, nil)
	resp, body := send(t, s, http.MethodPost, "/model-invocation-job", batchCreateBody)
	if resp.StatusCode != 200 || strings.TrimSpace(string(body)) != `{"jobArn":"arn:aws:bedrock:us-east-1:123456789012:model-invocation-job/000000000001"}` {
		t.Fatalf("create: %d %s", resp.StatusCode, body)
	}
	// The same token is the same job.
	_, again := send(t, s, http.MethodPost, "/model-invocation-job", batchCreateBody)
	if string(again) != string(body) {
		t.Errorf("same token: %s", again)
	}
	var statuses []string
	var last []byte
	for _, path := range []string{
		"/model-invocation-job/000000000001",
		"/model-invocation-job/arn%3Aaws%3Abedrock%3Aus-east-1%3A123456789012%3Amodel-invocation-job%2F000000000001",
		"/model-invocation-job/000000000001", "/model-invocation-job/000000000001", "/model-invocation-job/000000000001",
		"/model-invocation-job/000000000001",
	} {
		resp, b := send(t, s, http.MethodGet, path, "")
		if resp.StatusCode != 200 {
			t.Fatalf("get %s: %d %s", path, resp.StatusCode, b)
		}
		var j struct {
			Status string `json:"status"`
		}
		json.Unmarshal(b, &j)
		statuses = append(statuses, j.Status)
		last = b
	}
	if diff := cmp.Diff([]string{"Submitted", "Validating", "Scheduled", "InProgress", "Completed", "Completed"}, statuses); diff != "" {
		t.Errorf("statuses (-want +got):\n%s", diff)
	}
	golden(t, "batch_get_completed.json", last)
	resp, b := send(t, s, http.MethodPost, "/model-invocation-job/000000000001/stop", "")
	if code, typ, _ := errorOf(t, resp, b); code != 400 || typ != "ValidationException" {
		t.Errorf("stop a completed job: %d %s", code, typ)
	}
}

func TestBatchStopAndList(t *testing.T) {
	s := newServer(t, nil)
	for _, name := range []string{"alpha", "beta", "gamma"} {
		body := strings.Replace(strings.Replace(batchCreateBody, "nightly-1", name, 1), `"clientRequestToken":"tok-1",`, "", 1)
		if resp, b := send(t, s, http.MethodPost, "/model-invocation-job", body); resp.StatusCode != 200 {
			t.Fatalf("create %s: %s", name, b)
		}
	}
	resp, b := send(t, s, http.MethodPost, "/model-invocation-job/000000000002/stop", "")
	if resp.StatusCode != 200 {
		t.Fatalf("stop: %d %s", resp.StatusCode, b)
	}
	_, b1 := send(t, s, http.MethodGet, "/model-invocation-job/000000000002", "")
	_, b2 := send(t, s, http.MethodGet, "/model-invocation-job/000000000002", "")
	if !strings.Contains(string(b1), `"status":"Stopping"`) || !strings.Contains(string(b2), `"status":"Stopped"`) {
		t.Errorf("after stop:\n%s\n%s", b1, b2)
	}

	// Newest first, two per page.
	var names []string
	token := ""
	for pages := 0; pages < 5; pages++ {
		path := "/model-invocation-jobs?maxResults=2"
		if token != "" {
			path += "&nextToken=" + token
		}
		resp, b := send(t, s, http.MethodGet, path, "")
		if resp.StatusCode != 200 {
			t.Fatalf("list: %d %s", resp.StatusCode, b)
		}
		var page struct {
			Summaries []struct {
				JobName string `json:"jobName"`
			} `json:"invocationJobSummaries"`
			NextToken string `json:"nextToken"`
		}
		json.Unmarshal(b, &page)
		for _, j := range page.Summaries {
			names = append(names, j.JobName)
		}
		if token = page.NextToken; token == "" {
			break
		}
	}
	if diff := cmp.Diff([]string{"gamma", "beta", "alpha"}, names); diff != "" {
		t.Errorf("listing (-want +got):\n%s", diff)
	}
	_, b = send(t, s, http.MethodGet, "/model-invocation-jobs?statusEquals=Stopped&sortOrder=Ascending&nameContains=et", "")
	golden(t, "batch_list_stopped.json", b)
}

func TestBatchRefusals(t *testing.T) {
	s := newServer(t, nil)
	send(t, s, http.MethodPost, "/model-invocation-job", batchCreateBody)
	for _, tc := range []struct {
		method, path, body string
		status             int
		typ, msg           string
	}{
		{"POST", "/model-invocation-job", strings.Replace(batchCreateBody, `"jobName":"nightly-1"`, `"jobName":"bad name!"`, 1), 400, "ValidationException", "at 'jobName'"},
		{"POST", "/model-invocation-job", strings.Replace(batchCreateBody, "arn:aws:iam::123456789012:role/BedrockBatch", "role", 1), 400, "ValidationException", "at 'roleArn'"},
		{"POST", "/model-invocation-job", strings.Replace(batchCreateBody, "s3://in-bucket/records.jsonl", "/tmp/records.jsonl", 1), 400, "ValidationException", "inputDataConfig.s3InputDataConfig.s3Uri"},
		{"POST", "/model-invocation-job", strings.Replace(batchCreateBody, `"timeoutDurationInHours":48`, `"timeoutDurationInHours":12`, 1), 400, "ValidationException", "between 24 and 168"},
		{"POST", "/model-invocation-job", strings.Replace(batchCreateBody, "anthropic.claude-3-5-haiku-20241022-v1:0", "no.such-model-v1:0", 1), 400, "ValidationException", ""},
		{"POST", "/model-invocation-job", strings.Replace(batchCreateBody, `"jobName":"nightly-1"`, `"jobName":"other"`, 1), 400, "ConflictException", "different parameters"},
		{"POST", "/model-invocation-job", strings.Replace(batchCreateBody, `"clientRequestToken":"tok-1",`, "", 1), 400, "ConflictException", "already exists"},
		{"POST", "/model-invocation-job", `{}`, 400, "ValidationException", "'jobName'"},
		{"GET", "/model-invocation-job/abcdefabcdef", "", 404, "ResourceNotFoundException", "could not be found"},
		{"GET", "/model-invocation-job/NOT-AN-ID", "", 400, "ValidationException", "jobIdentifier"},
		{"POST", "/model-invocation-job/abcdefabcdef/stop", "", 404, "ResourceNotFoundException", ""},
		{"GET", "/model-invocation-jobs?maxResults=0", "", 400, "ValidationException", "maxResults"},
		{"GET", "/model-invocation-jobs?statusEquals=Done", "", 400, "ValidationException", "statusEquals"},
		{"GET", "/model-invocation-jobs?nextToken=zzz", "", 400, "ValidationException", "nextToken"},
		{"GET", "/model-invocation-jobs?sortBy=Name", "", 400, "ValidationException", "sortBy"},
		{"GET", "/model-invocation-jobs?sortOrder=Up", "", 400, "ValidationException", "Value 'Up' at 'sortOrder' failed to satisfy constraint: Member must satisfy enum value set: [Ascending, Descending]"},
		// base64 "offset:1": an async-listing token is no batch-listing token.
		{"GET", "/model-invocation-jobs?nextToken=b2Zmc2V0OjE", "", 400, "ValidationException", "nextToken"},
	} {
		resp, b := send(t, s, tc.method, tc.path, tc.body)
		code, typ, msg := errorOf(t, resp, b)
		if code != tc.status || typ != tc.typ || !strings.Contains(msg, tc.msg) {
			t.Errorf("%s %s: %d %s %q, want %d %s %q", tc.method, tc.path, code, typ, msg, tc.status, tc.typ, tc.msg)
		}
	}
}

// FuzzBatchCreate: any CreateModelInvocationJob body is answered with a job
// or a 4xx error in the service's shape, never a 5xx or a broken answer.
func FuzzBatchCreate(f *testing.F) {
	f.Add(batchCreateBody)
	f.Add(`{"jobName":"a","roleArn":"arn:aws:iam::123456789012:role/r","modelId":"amazon.nova-lite-v1:0","inputDataConfig":{"s3InputDataConfig":{"s3Uri":"s3://abc/x"}},"outputDataConfig":{"s3OutputDataConfig":{"s3Uri":"s3://abc/y"}},"modelInvocationType":"Converse","timeoutDurationInHours":null}`)
	f.Add(`{"inputDataConfig":{"s3InputDataConfig":null}}`)
	f.Add(`[]`)
	s := newServer(f, nil)
	f.Fuzz(func(t *testing.T, body string) {
		resp, b := send(t, s, http.MethodPost, "/model-invocation-job", body)
		switch {
		case resp.StatusCode == 200:
			var out struct {
				JobARN string `json:"jobArn"`
			}
			if err := json.Unmarshal(b, &out); err != nil || !strings.Contains(out.JobARN, ":model-invocation-job/") {
				t.Fatalf("200 with %s", b)
			}
		case resp.StatusCode >= 400 && resp.StatusCode < 500:
			if _, typ, _ := errorOf(t, resp, b); typ == "" {
				t.Fatalf("%d without an error type: %s", resp.StatusCode, b)
			}
		default:
			t.Fatalf("status %d: %s", resp.StatusCode, b)
		}
	})
}
