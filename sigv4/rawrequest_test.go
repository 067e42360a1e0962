package sigv4

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseRawRequest(t *testing.T) {
	raw := "POST /a b/%3A?x=1&y HTTP/1.1\r\nHost: h.example.com\r\nMy-Header: v1\r\n  v2\r\nmy-header: v3\r\nContent-Type:\tapplication/json \r\n\r\nline1\nline2"
	req, err := ParseRawRequest([]byte(raw), "")
	if err != nil {
		t.Fatal(err)
	}
	if req.Method != "POST" || req.Host != "h.example.com" || req.URL.Scheme != "https" || req.URL.Host != "h.example.com" ||
		req.URL.Opaque != "/a b/%3A" || req.URL.RawQuery != "x=1&y" {
		t.Errorf("request = %s %+v host %q", req.Method, *req.URL, req.Host)
	}
	want := http.Header{"My-Header": {"v1", "v2", "v3"}, "Content-Type": {"application/json"}}
	if diff := cmp.Diff(want, req.Header); diff != "" {
		t.Errorf("headers (-want +got):\n%s", diff)
	}
	b, _ := io.ReadAll(req.Body)
	if string(b) != "line1\nline2" || req.ContentLength != 0 { // unknown: no Content-Length header
		t.Errorf("body %q, length %d", b, req.ContentLength)
	}
	if wirePath(req.URL) != "/a b/%3A" {
		t.Errorf("wirePath = %q", wirePath(req.URL))
	}

	// A path starting with "//" stays a path.
	req, err = ParseRawRequest([]byte("GET //example// HTTP/1.1\nHost:h\n"), "http")
	if err != nil {
		t.Fatal(err)
	}
	if got := wirePath(req.URL); got != "//example//" {
		t.Errorf("wirePath = %q, want //example//", got)
	}
	// No version, no headers.
	if req, err = ParseRawRequest([]byte("GET /x"), ""); err != nil || req.Host != "" || wirePath(req.URL) != "/x" {
		t.Errorf("minimal request: %v, %+v", err, req)
	}
}

func TestParseRawRequestErrors(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"", "empty request line"},
		{"\n\nbody", "empty request line"},
		{"GET", "malformed request line"},
		{"G T / HTTP/1.1", "must start with '/'"},
		{"GET x HTTP/1.1", "must start with '/'"},
		{"GET  HTTP/1.1", "must start with '/'"},
		{"GET / HTTP/1.1\n  continued", "continuation before any header"},
		{"GET / HTTP/1.1\nNoColon", `want "Name: value"`},
		{"GET / HTTP/1.1\nBad Name: v", `want "Name: value"`},
		{"GET / HTTP/1.1\n: v", `want "Name: value"`},
		{"GET / HTTP/1.1\nBad(: v", "invalid header name"},
		{"GET / HTTP/1.1\nHost: a\nHost: b", "more than one Host header"},
	} {
		_, err := ParseRawRequest([]byte(c.in), "https")
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: err = %v, want %q", c.in, err, c.want)
		}
	}
}
