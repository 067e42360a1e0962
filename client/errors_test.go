package client

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

// errorReport is the golden form of a decoded error.
type errorReport struct {
	Error   *Error
	Text    string   // Error()
	Matches []string // the Is* helpers that report true
}

var errorHelpers = []struct {
	name string
	fn   func(error) bool
}{
	{"IsThrottling", IsThrottling},
	{"IsValidation", IsValidation},
	{"IsAccessDenied", IsAccessDenied},
	{"IsModelNotReady", IsModelNotReady},
	{"IsModelTimeout", IsModelTimeout},
	{"IsServiceUnavailable", IsServiceUnavailable},
	{"IsModelError", IsModelError},
	{"IsResourceNotFound", IsResourceNotFound},
	{"IsQuotaExceeded", IsQuotaExceeded},
}

func reportError(e *Error) []byte {
	r := errorReport{Error: e, Text: e.Error(), Matches: []string{}}
	wrapped := fmt.Errorf("wrapped: %w", e)
	for _, h := range errorHelpers {
		if h.fn(wrapped) {
			r.Matches = append(r.Matches, h.name)
		}
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	enc.Encode(r)
	return buf.Bytes()
}

// TestErrorShapes decodes every recorded error response under
// testdata/errors and compares the *Error with its golden .want.json.
func TestErrorShapes(t *testing.T) {
	files, _ := filepath.Glob("testdata/errors/*.http")
	if len(files) < 15 {
		t.Fatalf("found %d error shapes, want at least 15", len(files))
	}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".http")
		t.Run(name, func(t *testing.T) {
			raw := readTestdata(t, "errors/"+name+".http")
			resp, err := http.ReadResponse(bufio.NewReader(bytes.NewReader(raw)), nil)
			if err != nil {
				t.Fatal(err)
			}
			e := responseError("InvokeModel", resp)
			checkGolden(t, "errors/"+name+".want.json", reportError(e))
		})
	}
}

// TestErrorFromServer checks the whole path: a refused call returns a
// *Error that errors.As finds, with the request ID and code.
func TestErrorFromServer(t *testing.T) {
	_, srv := newRecorder(t, respond(404, `{"message":"no such model"}`,
		"X-Amzn-Errortype", "ResourceNotFoundException:http://internal.amazon.com/coral/com.amazon.bedrock/",
		"X-Amzn-Requestid", "rid-404"))
	c := newTestClient(t, srv.URL, srv.Client())
	_, err := c.InvokeModel(t.Context(), &InvokeModelInput{ModelID: "nope", Body: []byte("{}")})
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v (%T) is not a *Error", err, err)
	}
	want := &Error{Op: "InvokeModel", StatusCode: 404, Code: CodeResourceNotFound, Message: "no such model", RequestID: "rid-404"}
	if diff := cmp.Diff(want, e); diff != "" {
		t.Errorf("error (-want +got):\n%s", diff)
	}
	if !IsResourceNotFound(err) || IsThrottling(err) {
		t.Errorf("IsResourceNotFound = %v, IsThrottling = %v; want true, false", IsResourceNotFound(err), IsThrottling(err))
	}
}

func TestSanitizeCode(t *testing.T) {
	for in, want := range map[string]string{
		"ThrottlingException": "ThrottlingException",
		"ThrottlingException:http://internal.amazon.com/coral/com.amazon.coral.service/":                  "ThrottlingException",
		"aws.protocoltests.restjson#FooError":                                                             "FooError",
		"aws.protocoltests.restjson#FooError:http://internal.amazon.com/coral/com.amazon.coral.validate/": "FooError",
		"  FooError  ": "FooError",
		"":             "",
		"#":            "",
		":":            "",
	} {
		if got := sanitizeCode(in); got != want {
			t.Errorf("sanitizeCode(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestHelpersOnOtherErrors(t *testing.T) {
	for _, err := range []error{nil, errors.New("plain"), fmt.Errorf("x: %w", errors.New("y"))} {
		for _, h := range errorHelpers {
			if h.fn(err) {
				t.Errorf("%s(%v) = true, want false", h.name, err)
			}
		}
	}
}

func TestPrintable(t *testing.T) {
	tests := []struct {
		in   string
		max  int
		want string
	}{
		{"hello\nworld\t!", 100, "hello world !"},
		{"a\x00b\x7fc", 100, "abc"},
		{"abcdef", 3, "abc…"},
		{"é", 1, "…"},
		{"\xff\xfe", 10, "\uFFFD"},
	}
	for _, tt := range tests {
		if got := printable([]byte(tt.in), tt.max); got != tt.want {
			t.Errorf("printable(%q, %d) = %q, want %q", tt.in, tt.max, got, tt.want)
		}
	}
}

// FuzzDecodeErrorBody feeds arbitrary error bodies and error-type headers to
// the decoder: it must never panic, and what it returns must be printable
// UTF-8 without line breaks in the code.
func FuzzDecodeErrorBody(f *testing.F) {
	files, _ := filepath.Glob("testdata/errors/*.http")
	for _, file := range files {
		raw := readTestdata(f, "errors/"+filepath.Base(file))
		if _, body, ok := bytes.Cut(raw, []byte("\r\n\r\n")); ok {
			f.Add("", body)
		}
	}
	f.Add("ThrottlingException:http://x/", []byte(`{"message":"m","originalStatusCode":"500"}`))
	f.Add("a#b#c:d:e", []byte(`{"__type":1,"message":{"x":2}}`))
	f.Add("", []byte(`{"originalStatusCode":99999999999999999999}`))
	f.Add("", []byte("\xff\xfe{"))
	f.Fuzz(func(t *testing.T, errType string, body []byte) {
		h := http.Header{}
		if errType != "" {
			h.Set("X-Amzn-Errortype", errType)
		}
		e := &Error{Op: "Fuzz", StatusCode: 400}
		decodeErrorBody(e, h, body)
		if strings.ContainsAny(e.Code, ":#") {
			t.Errorf("code %q still has a namespace or suffix", e.Code)
		}
		s := e.Error()
		if !utf8.ValidString(s) && utf8.ValidString(errType) && utf8.Valid(body) {
			t.Errorf("Error() is not valid UTF-8: %q", s)
		}
		if !json.Valid(body) && strings.ContainsAny(e.Message, "\n\r") {
			t.Errorf("message from a non-JSON body has a line break: %q", e.Message)
		}
	})
}
