package client

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"unicode/utf8"
)

// BatchRecordWriter writes the input file of a batch inference job: JSON
// Lines, one record per line,
//
//	{"recordId":"REC00000001","modelInput":{…the InvokeModel body…}}
//
// Upload the file to S3 and name it in CreateModelInvocationJob. Record IDs
// must be unique within the file; the writer refuses a repeated one. Each
// record goes to the underlying writer in one Write call; wrap it in a
// bufio.Writer for many small records.
type BatchRecordWriter struct {
	w    io.Writer
	ids  map[string]struct{}
	next int // number of the next generated ID
	buf  []byte
	err  error // the first write error; it sticks
}

// NewBatchRecordWriter returns a writer of records to w.
func NewBatchRecordWriter(w io.Writer) *BatchRecordWriter {
	return &BatchRecordWriter{w: w, ids: make(map[string]struct{}), next: 1}
}

// ErrDuplicateRecordID is what BatchRecordWriter.Write returns for a record
// ID it has already written.
var ErrDuplicateRecordID = errors.New("record ID already used in this file")

// Write writes one record. recordID names it in the job's output; "" gets
// the next free generated ID, "REC" and eight digits (eleven characters, as
// the service's own). modelInput is the model's request body: a
// json.RawMessage or []byte holding a JSON object, a BodyEncoder such as a
// modelspec request, or a value that marshals to a JSON object.
func (w *BatchRecordWriter) Write(recordID string, modelInput any) error {
	if w.err != nil {
		return w.err
	}
	input, err := modelInputJSON(modelInput)
	if err != nil {
		return fmt.Errorf("batch record %q: model input: %w", recordID, err)
	}
	if t := bytes.TrimLeft(input, " \t\r\n"); t[0] != '{' {
		return fmt.Errorf("batch record %q: model input is not a JSON object", recordID)
	}
	if recordID == "" {
		for {
			recordID = "REC" + fmt.Sprintf("%08d", w.next)
			w.next++
			if _, used := w.ids[recordID]; !used {
				break
			}
		}
	} else if _, used := w.ids[recordID]; used {
		return fmt.Errorf("batch record %q: %w", recordID, ErrDuplicateRecordID)
	}
	if !utf8.ValidString(recordID) {
		return fmt.Errorf("batch record %q: record ID is not valid UTF-8", recordID)
	}
	id, _ := json.Marshal(recordID) // a valid string always marshals
	b := append(w.buf[:0], `{"recordId":`...)
	b = append(b, id...)
	b = append(b, `,"modelInput":`...)
	var compact bytes.Buffer
	if err := json.Compact(&compact, input); err != nil {
		return fmt.Errorf("batch record %q: model input: %w", recordID, err)
	}
	b = append(b, compact.Bytes()...)
	b = append(b, "}\n"...)
	w.buf = b
	if _, err := w.w.Write(b); err != nil {
		w.err = fmt.Errorf("writing batch records: %w", err)
		return w.err
	}
	w.ids[recordID] = struct{}{}
	return nil
}

// Count returns the number of records written.
func (w *BatchRecordWriter) Count() int { return len(w.ids) }
