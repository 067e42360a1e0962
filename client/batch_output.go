package client

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"strconv"
)

// A finished batch job leaves, next to each input file, an output file
// (records.jsonl.out) with one line per record — the record ID, its model
// input, and either the model's output (the InvokeModel response body, or
// the Converse response for Converse jobs) or an error — and a
// manifest.json.out with the counts. ReadBatchOutput and ParseBatchManifest
// read them once they are downloaded from S3.

// BatchOutputRecord is one line of a batch job's output file.
type BatchOutputRecord struct {
	// Line is the line number in the file, from 1.
	Line     int
	RecordID string
	// ModelInput is the record's model input, as submitted.
	ModelInput json.RawMessage
	// ModelOutput is the model's response body; nil when Error is set.
	ModelOutput json.RawMessage
	// Error says why the record failed.
	Error *BatchRecordError
}

// BatchRecordError is the error of a failed record.
type BatchRecordError struct {
	// Code is the HTTP-style status of the failure (400, 429, 500, …); 0
	// when the file gave none.
	Code    int
	Message string
}

// Error describes the failure, e.g. "record failed with 400: bad request".
func (e *BatchRecordError) Error() string {
	return fmt.Sprintf("record failed with %d: %s", e.Code, e.Message)
}

// MaxBatchOutputLine bounds one line of a batch output file.
const MaxBatchOutputLine = 64 << 20

// ErrBatchOutputLine marks a line of a batch output file that is not a
// record; the error names the line.
var ErrBatchOutputLine = errors.New("not a batch output record")

// ReadBatchOutput returns an iterator over the records of a batch output
// file. Blank lines are skipped. A line that is not a record yields an
// error wrapping ErrBatchOutputLine (with the zero record but its Line set)
// and the reading goes on with the next line; a read error, or a line
// longer than MaxBatchOutputLine, yields an error and ends it.
func ReadBatchOutput(r io.Reader) iter.Seq2[BatchOutputRecord, error] {
	return func(yield func(BatchOutputRecord, error) bool) {
		br := bufio.NewReaderSize(r, 64<<10)
		var buf []byte
		for line := 1; ; line++ {
			buf = buf[:0]
			var err error
			for {
				var chunk []byte
				chunk, err = br.ReadSlice('\n')
				if len(buf)+len(chunk) > MaxBatchOutputLine {
					yield(BatchOutputRecord{Line: line}, fmt.Errorf("batch output line %d: longer than %d bytes", line, MaxBatchOutputLine))
					return
				}
				buf = append(buf, chunk...)
				if !errors.Is(err, bufio.ErrBufferFull) {
					break
				}
			}
			if err != nil && err != io.EOF {
				yield(BatchOutputRecord{Line: line}, fmt.Errorf("reading batch output line %d: %w", line, err))
				return
			}
			if t := bytes.TrimSpace(buf); len(t) > 0 {
				rec, perr := parseBatchOutputLine(t)
				rec.Line = line
				if !yield(rec, perr) {
					return
				}
			}
			if err == io.EOF {
				return
			}
		}
	}
}

// parseBatchOutputLine reads one output record.
func parseBatchOutputLine(b []byte) (BatchOutputRecord, error) {
	var w struct {
		RecordID    *string         `json:"recordId"`
		ModelInput  json.RawMessage `json:"modelInput"`
		ModelOutput json.RawMessage `json:"modelOutput"`
		Error       *struct {
			ErrorCode    json.RawMessage `json:"errorCode"`
			ErrorMessage string          `json:"errorMessage"`
		} `json:"error"`
	}
	fail := func(format string, a ...any) (BatchOutputRecord, error) {
		return BatchOutputRecord{}, fmt.Errorf("%w: "+format, append([]any{ErrBatchOutputLine}, a...)...)
	}
	if b[0] != '{' {
		return fail("not a JSON object")
	}
	if err := json.Unmarshal(b, &w); err != nil {
		return fail("%v", err)
	}
	rec := BatchOutputRecord{ModelInput: w.ModelInput}
	if w.RecordID != nil {
		rec.RecordID = *w.RecordID
	}
	hasOutput := len(w.ModelOutput) > 0 && string(w.ModelOutput) != "null"
	switch {
	case w.Error != nil:
		e := &BatchRecordError{Message: w.Error.ErrorMessage}
		if c := bytes.Trim(w.Error.ErrorCode, `"`); len(c) > 0 && string(c) != "null" {
			n, err := strconv.Atoi(string(c))
			if err != nil {
				return fail("errorCode %s is not a number", printable(w.Error.ErrorCode, 40))
			}
			e.Code = n
		}
		rec.Error = e
	case hasOutput:
		rec.ModelOutput = w.ModelOutput
	default:
		return fail("record %q has neither modelOutput nor error", rec.RecordID)
	}
	return rec, nil
}

// BatchManifest is the summary a batch job writes to manifest.json.out.
type BatchManifest struct {
	TotalRecordCount     int64 `json:"totalRecordCount"`
	ProcessedRecordCount int64 `json:"processedRecordCount"`
	SuccessRecordCount   int64 `json:"successRecordCount"`
	ErrorRecordCount     int64 `json:"errorRecordCount"`
	InputTokenCount      int64 `json:"inputTokenCount"`
	OutputTokenCount     int64 `json:"outputTokenCount"`
}

// ParseBatchManifest reads a manifest.json.out file.
func ParseBatchManifest(b []byte) (*BatchManifest, error) {
	t := bytes.TrimSpace(b)
	if len(t) == 0 || t[0] != '{' {
		return nil, errors.New("batch manifest: not a JSON object")
	}
	m := new(BatchManifest)
	if err := json.Unmarshal(t, m); err != nil {
		return nil, fmt.Errorf("batch manifest: %w", err)
	}
	return m, nil
}
