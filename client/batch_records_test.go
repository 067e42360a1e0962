package client

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

func TestBatchRecordWriter(t *testing.T) {
	var buf bytes.Buffer
	w := NewBatchRecordWriter(&buf)
	for _, r := range []struct {
		id    string
		input any
	}{
		{"", reelInput{"a <b> & c"}},
		{"custom-1", json.RawMessage("{\n  \"inputText\": \"pretty\",\n  \"textGenerationConfig\": {\"maxTokenCount\": 10}\n}")},
		{"", map[string]any{"prompt": "line\nbreak", "max_gen_len": 5}},
		{"REC00000004", []byte(`{"x":"é"}`)},
		{"", []byte(`{"y":1}`)}, // generated IDs skip any the caller took
	} {
		if err := w.Write(r.id, r.input); err != nil {
			t.Fatal(err)
		}
	}
	if w.Count() != 5 {
		t.Errorf("Count %d, want 5", w.Count())
	}
	checkGolden(t, "batch/records.jsonl", buf.Bytes())
	// Every line is one JSON object of two members.
	sc := bufio.NewScanner(bytes.NewReader(buf.Bytes()))
	for sc.Scan() {
		var rec struct {
			RecordID   string          `json:"recordId"`
			ModelInput json.RawMessage `json:"modelInput"`
		}
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil || rec.RecordID == "" || len(rec.ModelInput) == 0 {
			t.Errorf("line %s: %+v (%v)", sc.Bytes(), rec, err)
		}
	}
}

func TestBatchRecordWriterRefusals(t *testing.T) {
	var buf bytes.Buffer
	w := NewBatchRecordWriter(&buf)
	if err := w.Write("a", json.RawMessage(`{}`)); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		id    string
		input any
		want  string
	}{
		{"a", json.RawMessage(`{}`), "already used"},
		{"b", json.RawMessage(`[1]`), "not a JSON object"},
		{"b", json.RawMessage(`"text"`), "not a JSON object"},
		{"b", []byte(`{`), "not valid JSON"},
		{"b", nil, "model input: nil"},
		{"b", reelInput{}, "textToVideoParams.text: empty"},
		{"\xff", json.RawMessage(`{}`), "not valid UTF-8"},
	} {
		err := w.Write(tc.id, tc.input)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Write(%q, %v): %v, want %q", tc.id, tc.input, err, tc.want)
		}
	}
	if !errors.Is(w.Write("a", json.RawMessage(`{}`)), ErrDuplicateRecordID) {
		t.Error("duplicate is not ErrDuplicateRecordID")
	}
	if got := buf.String(); got != "{\"recordId\":\"a\",\"modelInput\":{}}\n" || w.Count() != 1 {
		t.Errorf("refused records were written: %q (count %d)", got, w.Count())
	}
	// A write error sticks.
	fw := NewBatchRecordWriter(failWriter{})
	if err := fw.Write("", json.RawMessage(`{}`)); err == nil {
		t.Fatal("no error from a failing writer")
	}
	if err := fw.Write("", json.RawMessage(`{}`)); err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Errorf("second write: %v", err)
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

// FuzzBatchRecordWriter: any record ID and input either is refused or
// becomes exactly one line that reads back as the same ID and the same JSON.
func FuzzBatchRecordWriter(f *testing.F) {
	f.Add("", []byte(`{"a":1}`))
	f.Add("id\n2", []byte("{\"t\":\"<x>\\u2028\"}"))
	f.Add("x", []byte(`[]`))
	f.Add("\x00", []byte(` { } `))
	f.Fuzz(func(t *testing.T, id string, input []byte) {
		var buf bytes.Buffer
		w := NewBatchRecordWriter(&buf)
		if err := w.Write(id, json.RawMessage(input)); err != nil {
			if buf.Len() != 0 {
				t.Fatalf("refused record wrote %q", buf.Bytes())
			}
			return
		}
		line := buf.Bytes()
		if bytes.Count(line, []byte("\n")) != 1 || line[len(line)-1] != '\n' {
			t.Fatalf("not one line: %q", line)
		}
		var rec struct {
			RecordID   string          `json:"recordId"`
			ModelInput json.RawMessage `json:"modelInput"`
		}
		if err := json.Unmarshal(line, &rec); err != nil {
			t.Fatalf("line %q: %v", line, err)
		}
		if id != "" && rec.RecordID != id {
			t.Fatalf("record ID %q, want %q", rec.RecordID, id)
		}
		var a, b any
		if json.Unmarshal(input, &a) != nil || json.Unmarshal(rec.ModelInput, &b) != nil {
			t.Fatalf("input %q or output %q does not decode", input, rec.ModelInput)
		}
		ja, _ := json.Marshal(a)
		jb, _ := json.Marshal(b)
		if !bytes.Equal(ja, jb) {
			t.Fatalf("model input changed: %s became %s", ja, jb)
		}
	})
}
