package client

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/google/go-cmp/cmp"
)

func TestReadBatchOutput(t *testing.T) {
	var got []string
	for rec, err := range ReadBatchOutput(bytes.NewReader(readTestdata(t, "batch/job_output.jsonl"))) {
		switch {
		case err != nil:
			if !errors.Is(err, ErrBatchOutputLine) {
				t.Errorf("line %d: %v is not ErrBatchOutputLine", rec.Line, err)
			}
			got = append(got, fmt.Sprintf("%d error: %v", rec.Line, err))
		case rec.Error != nil:
			got = append(got, fmt.Sprintf("%d %s failed %d %q input %s", rec.Line, rec.RecordID, rec.Error.Code, rec.Error.Message, rec.ModelInput))
		default:
			got = append(got, fmt.Sprintf("%d %s ok %s", rec.Line, rec.RecordID, rec.ModelOutput))
		}
	}
	want := []string{
		`1 3223593EFGH ok {"inputTextTokenCount":8,"results":[{"tokenCount":3,"outputText":"blue\n","completionReason":"FINISH"}]}`,
		`2 1223213ABCD failed 400 "bad request" input {"inputText": "Hello world"}`,
		`4 REC00000003 failed 429 "throttled" input {"inputText":"x"}`,
		`5 error: not a batch output record: not a JSON object`,
		`6 error: not a batch output record: record "REC00000005" has neither modelOutput nor error`,
		`7  ok {"results":[]}`,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestReadBatchOutputEnds(t *testing.T) {
	// No final newline, a break after the first record, a read error.
	n := 0
	for rec, err := range ReadBatchOutput(strings.NewReader(`{"recordId":"a","modelOutput":{}}` + "\n" + `{"recordId":"b","modelOutput":{}}`)) {
		if err != nil || rec.RecordID == "" {
			t.Fatal(rec, err)
		}
		n++
	}
	if n != 2 {
		t.Errorf("%d records, want 2", n)
	}
	for range ReadBatchOutput(strings.NewReader("{\"recordId\":\"a\",\"modelOutput\":{}}\n{\"recordId\":\"b\",\"modelOutput\":{}}\n")) {
		break
	}
	var errs []error
	for _, err := range ReadBatchOutput(iotest.TimeoutReader(strings.NewReader(strings.Repeat(`{"recordId":"a","modelOutput":{}}`+"\n", 5000)))) {
		if err != nil {
			errs = append(errs, err)
		}
	}
	if len(errs) != 1 || !errors.Is(errs[0], iotest.ErrTimeout) {
		t.Errorf("read error: %v", errs)
	}
	for _, err := range ReadBatchOutput(strings.NewReader(`{"recordId":"a","error":{"errorCode":"x"}}`)) {
		if err == nil || !strings.Contains(err.Error(), "errorCode") {
			t.Errorf("bad errorCode: %v", err)
		}
	}
}

func TestParseBatchManifest(t *testing.T) {
	m, err := ParseBatchManifest([]byte(`{"totalRecordCount":1000,"processedRecordCount":1000,"successRecordCount":997,"errorRecordCount":3,"inputTokenCount":120500,"outputTokenCount":48213}`))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(&BatchManifest{1000, 1000, 997, 3, 120500, 48213}, m); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	for _, in := range []string{``, `[]`, `{"totalRecordCount":"many"}`, `{`} {
		if _, err := ParseBatchManifest([]byte(in)); err == nil {
			t.Errorf("%q: no error", in)
		}
	}
}

// FuzzReadBatchOutput: any file gives records and errors, never a panic or
// a hang; a record has exactly one of output and error, and its line
// numbers increase.
func FuzzReadBatchOutput(f *testing.F) {
	f.Add(readTestdata(f, "batch/job_output.jsonl"))
	f.Add([]byte("{\"recordId\":1}\n\n\r\n{\"error\":null,\"modelOutput\":null}"))
	f.Add([]byte(`{"error":{"errorCode":1e3}}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		last := 0
		for rec, err := range ReadBatchOutput(bytes.NewReader(b)) {
			if rec.Line <= last {
				t.Fatalf("line %d after %d", rec.Line, last)
			}
			last = rec.Line
			if err != nil {
				continue
			}
			if (rec.Error == nil) == (rec.ModelOutput == nil) {
				t.Fatalf("line %d: output %q and error %v", rec.Line, rec.ModelOutput, rec.Error)
			}
			if rec.ModelOutput != nil && !json.Valid(rec.ModelOutput) {
				t.Fatalf("line %d: output %q is not JSON", rec.Line, rec.ModelOutput)
			}
		}
		ParseBatchManifest(b)
	})
}
