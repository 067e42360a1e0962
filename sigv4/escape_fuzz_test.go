package sigv4

import (
	"fmt"
	"net/url"
	"testing"
)

// The canonicaliser scans paths and hashes with table lookups four bytes at
// a time. These targets hold those scans to plain byte-by-byte definitions
// and to net/url itself.

// FuzzWirePath: for any Path and RawPath, wirePath is what net/http puts in
// the request line, URL.EscapedPath.
func FuzzWirePath(f *testing.F) {
	f.Add("/model/amazon.nova-pro-v1:0/converse", "/model/amazon.nova-pro-v1%3A0/converse")
	f.Add("/model/arn:aws:bedrock:us-east-1:1:inference-profile/x/invoke", "/model/arn%3Aaws%3Abedrock%3Aus-east-1%3A1%3Ainference-profile%2Fx/invoke")
	f.Add("/a b/ü", "/a%20b/%C3%BC")
	f.Add("/x", "/x%")
	f.Add("/x%", "/x%25")
	f.Add("/x/y", "/x%2fy")
	f.Add("/ab", "/a")
	f.Add("/a", "/ab")
	f.Fuzz(func(t *testing.T, path, raw string) {
		u := &url.URL{Path: path, RawPath: raw}
		if got, want := wirePath(u), u.EscapedPath(); got != want {
			t.Fatalf("wirePath(Path %q, RawPath %q) = %q, EscapedPath = %q", path, raw, got, want)
		}
	})
}

// FuzzAppendEscaped: appendEscaped is RFC 3986 percent-encoding of every
// byte but the unreserved ones (and '/' when asked).
func FuzzAppendEscaped(f *testing.F) {
	f.Add("amazon.nova-pro-v1:0", false)
	f.Add("/model/a b/ü~", true)
	f.Add("", true)
	f.Fuzz(func(t *testing.T, s string, keepSlash bool) {
		var want []byte
		for i := 0; i < len(s); i++ {
			c := s[i]
			if c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' ||
				c == '-' || c == '.' || c == '_' || c == '~' || keepSlash && c == '/' {
				want = append(want, c)
				continue
			}
			want = fmt.Appendf(want, "%%%02X", c)
		}
		if got := appendEscaped([]byte("prefix"), s, keepSlash); string(got) != "prefix"+string(want) {
			t.Fatalf("appendEscaped(%q, %v) = %q, want %q", s, keepSlash, got[6:], want)
		}
	})
}

// FuzzValidPayloadHash: a payload hash is one of the two literals, 64
// lower-case hex digits, or another non-empty literal of A-Z 0-9 '-' whose
// length is not 64.
func FuzzValidPayloadHash(f *testing.F) {
	f.Add(EmptyPayloadHash)
	f.Add(UnsignedPayload)
	f.Add("E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855")
	f.Add("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b85g")
	f.Fuzz(func(t *testing.T, h string) {
		want := h == UnsignedPayload || h == StreamingEventsPayload
		if !want && len(h) == 64 {
			want = true
			for i := 0; i < len(h); i++ {
				if c := h[i]; !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
					want = false
				}
			}
		} else if !want {
			want = h != ""
			for i := 0; i < len(h); i++ {
				if c := h[i]; !(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-') {
					want = false
				}
			}
		}
		if got := validPayloadHash(h); got != want {
			t.Fatalf("validPayloadHash(%q) = %v, want %v", h, got, want)
		}
	})
}

// FuzzAppendReencoded: a query component is decoded as net/url decodes a
// query (url.QueryUnescape) and encoded again per RFC 3986; what net/url
// refuses is refused.
func FuzzAppendReencoded(f *testing.F) {
	f.Add("maxResults")
	f.Add("a+b%20c%2Fd~e")
	f.Add("%zz")
	f.Add("tail%")
	f.Add("tail%4")
	f.Add("ü*()!'")
	f.Fuzz(func(t *testing.T, s string) {
		got, err := appendReencoded(nil, s)
		plain, uerr := url.QueryUnescape(s)
		if (err != nil) != (uerr != nil) {
			t.Fatalf("appendReencoded(%q) err = %v, url.QueryUnescape err = %v", s, err, uerr)
		}
		if err != nil {
			return
		}
		if want := appendEscaped(nil, plain, false); string(got) != string(want) {
			t.Fatalf("appendReencoded(%q) = %q, want %q", s, got, want)
		}
	})
}
