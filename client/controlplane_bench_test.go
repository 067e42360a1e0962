package client

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
)

// BenchmarkListFoundationModels decodes the boto3 notebook's answer (92
// models, 38 kB) through the whole client, with the network left out.
func BenchmarkListFoundationModels(b *testing.B) {
	body := string(readTestdata(b, "controlplane/list_foundation_models.response.json"))
	tr := &memTransport{respond: func(req *http.Request) *http.Response {
		return &http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {"application/json"}},
			Body: io.NopCloser(strings.NewReader(body)), ContentLength: int64(len(body)), Request: req}
	}}
	c, err := New(Options{Region: "us-east-1", BearerToken: "k", HTTPClient: &http.Client{Transport: tr}})
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		out, err := c.ListFoundationModels(context.Background(), nil)
		if err != nil || len(out.ModelSummaries) != 92 {
			b.Fatal(err)
		}
	}
}

// BenchmarkDecodeAsyncInvoke decodes one GetAsyncInvoke answer with its
// three timestamps.
func BenchmarkDecodeAsyncInvoke(b *testing.B) {
	body := readTestdata(b, "async/get_failed.response.json")
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		var a AsyncInvoke
		if err := json.Unmarshal(body, &a); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBatchRecordWriter writes Nova-shaped records.
func BenchmarkBatchRecordWriter(b *testing.B) {
	input := json.RawMessage(`{"schemaVersion":"messages-v1","messages":[{"role":"user","content":[{"text":"Summarise the plot of Hamlet in three sentences."}]}],"inferenceConfig":{"maxTokens":300}}`)
	w := NewBatchRecordWriter(io.Discard)
	b.SetBytes(int64(len(input)))
	b.ReportAllocs()
	for b.Loop() {
		if err := w.Write("", input); err != nil {
			b.Fatal(err)
		}
	}
}
