package sigv4

import (
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestConstants(t *testing.T) {
	if got := HashHex(nil); got != EmptyPayloadHash {
		t.Errorf("HashHex(nil) = %s, want EmptyPayloadHash %s", got, EmptyPayloadHash)
	}
	if got := HashHex([]byte("Param1=value1")); got != "9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e" {
		t.Errorf("HashHex = %s", got)
	}
}

func TestSignErrors(t *testing.T) {
	newReq := func() *http.Request {
		req, _ := http.NewRequest(http.MethodPost, "https://bedrock-runtime.us-east-1.amazonaws.com/model/x/converse", nil)
		return req
	}
	cases := []struct {
		name            string
		req             func() *http.Request
		creds           Credentials
		region, service string
		hash            string
		wantErr         string
		wantIs          error
	}{
		{name: "empty region", req: newReq, creds: testCreds, service: "bedrock", wantErr: "sigv4: empty region"},
		{name: "empty service", req: newReq, creds: testCreds, region: "us-east-1", wantErr: "sigv4: empty service"},
		{name: "no secret", req: newReq, creds: Credentials{AccessKeyID: "AKID"}, region: "us-east-1", service: "bedrock", wantIs: ErrMissingCredentials},
		{name: "no access key", req: newReq, creds: Credentials{SecretAccessKey: "s"}, region: "us-east-1", service: "bedrock", wantIs: ErrMissingCredentials},
		{name: "slash in region", req: newReq, creds: testCreds, region: "us/east", service: "bedrock", wantErr: `sigv4: invalid character in region "us/east"`},
		{name: "newline in service", req: newReq, creds: testCreds, region: "us-east-1", service: "bed\nrock", wantErr: `sigv4: invalid character in service "bed\nrock"`},
		{name: "newline in access key", req: newReq, creds: Credentials{AccessKeyID: "AK\nID", SecretAccessKey: "s"}, region: "us-east-1", service: "bedrock", wantErr: `sigv4: invalid character in access key ID "AK\nID"`},
		{name: "CRLF in header value", req: func() *http.Request {
			r := newReq()
			r.Header["X-Custom"] = []string{"a\r\nX-Injected: 1"}
			return r
		}, creds: testCreds, region: "us-east-1", service: "bedrock", wantIs: ErrHeaderValue},
		{name: "LF in header value", req: func() *http.Request {
			r := newReq()
			r.Header["Content-Type"] = []string{"application/json\n"}
			return r
		}, creds: testCreds, region: "us-east-1", service: "bedrock", wantIs: ErrHeaderValue},
		{name: "CR in session token", req: newReq, creds: Credentials{AccessKeyID: "AKID", SecretAccessKey: "s", SessionToken: "tok\r\nX: y"}, region: "us-east-1", service: "bedrock", wantIs: ErrHeaderValue},
		{name: "space in header name", req: func() *http.Request {
			r := newReq()
			r.Header["Bad Name"] = []string{"v"}
			return r
		}, creds: testCreds, region: "us-east-1", service: "bedrock", wantIs: ErrHeaderName},
		{name: "no host", req: func() *http.Request {
			r := newReq()
			r.URL.Host, r.Host = "", ""
			return r
		}, creds: testCreds, region: "us-east-1", service: "bedrock", wantIs: ErrNoHost},
		{name: "bad method", req: func() *http.Request {
			r := newReq()
			r.Method = "GET /x"
			return r
		}, creds: testCreds, region: "us-east-1", service: "bedrock", wantErr: `sigv4: invalid method "GET /x"`},
		{name: "bad payload hash", req: newReq, creds: testCreds, region: "us-east-1", service: "bedrock", hash: "abc\n", wantErr: `sigv4: invalid payload hash "abc\n"`},
		{name: "bad query escape", req: func() *http.Request {
			r := newReq()
			r.URL.RawQuery = "a=%zz"
			return r
		}, creds: testCreds, region: "us-east-1", service: "bedrock", wantIs: ErrQueryEncoding},
		{name: "nil request", req: func() *http.Request { return nil }, creds: testCreds, region: "us-east-1", service: "bedrock", wantErr: "sigv4: nil request or URL"},
	}
	var s Signer
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			hash := c.hash
			if hash == "" {
				hash = EmptyPayloadHash
			}
			req := c.req()
			var before http.Header
			if req != nil {
				before = req.Header.Clone()
			}
			err := s.SignHTTP(req, c.creds, c.region, c.service, suiteTime, hash)
			if err == nil {
				t.Fatal("SignHTTP succeeded, want an error")
			}
			if c.wantIs != nil && !errors.Is(err, c.wantIs) {
				t.Errorf("err = %v, want errors.Is %v", err, c.wantIs)
			}
			if c.wantErr != "" && err.Error() != c.wantErr {
				t.Errorf("err = %q, want %q", err, c.wantErr)
			}
			if req != nil {
				if diff := cmp.Diff(before, req.Header); diff != "" {
					t.Errorf("failed SignHTTP changed the headers (-before +after):\n%s", diff)
				}
			}
			if _, err2 := s.Steps(req, c.creds, c.region, c.service, suiteTime, hash); err2 == nil || err2.Error() != err.Error() {
				t.Errorf("Steps err = %v, SignHTTP err = %v: want the same", err2, err)
			}
		})
	}
}

// TestSignHTTPHeaders checks what SignHTTP adds and replaces, including
// headers already present under non-canonical spellings.
func TestSignHTTPHeaders(t *testing.T) {
	req, _ := http.NewRequest(http.MethodPost, "https://bedrock-runtime.us-east-1.amazonaws.com:443/model/amazon.nova-pro-v1:0/converse", strings.NewReader("{}"))
	req.URL.RawPath = "/model/amazon.nova-pro-v1%3A0/converse"
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "bedrockwire")
	req.Header["authorization"] = []string{"stale"}
	req.Header["x-amz-date"] = []string{"19700101T000000Z"}
	req.Header["X-Amz-Security-Token"] = []string{"old"}
	creds := Credentials{AccessKeyID: "ASIAEXAMPLE", SecretAccessKey: "secret", SessionToken: "session"}
	s := &Signer{ContentSHA256Header: true}
	if err := s.SignHTTP(req, creds, "us-east-1", "bedrock", suiteTime, StreamingEventsPayload); err != nil {
		t.Fatal(err)
	}
	st, err := s.Steps(req, creds, "us-east-1", "bedrock", suiteTime, StreamingEventsPayload)
	if err != nil {
		t.Fatal(err)
	}
	want := http.Header{
		"Content-Type":         {"application/json"},
		"User-Agent":           {"bedrockwire"},
		"X-Amz-Date":           {"20150830T123600Z"},
		"X-Amz-Security-Token": {"session"},
		"X-Amz-Content-Sha256": {StreamingEventsPayload},
		"Authorization":        {st.Authorization},
	}
	if diff := cmp.Diff(want, req.Header); diff != "" {
		t.Errorf("headers (-want +got):\n%s", diff)
	}
	wantCR := "POST\n/model/amazon.nova-pro-v1%253A0/converse\n\n" +
		"content-length:2\ncontent-type:application/json\nhost:bedrock-runtime.us-east-1.amazonaws.com\n" +
		"x-amz-content-sha256:STREAMING-AWS4-HMAC-SHA256-EVENTS\nx-amz-date:20150830T123600Z\nx-amz-security-token:session\n\n" +
		"content-length;content-type;host;x-amz-content-sha256;x-amz-date;x-amz-security-token\nSTREAMING-AWS4-HMAC-SHA256-EVENTS"
	if diff := cmp.Diff(wantCR, st.CanonicalRequest); diff != "" {
		t.Errorf("canonical request (-want +got):\n%s", diff)
	}
	seed, err := SignatureFromAuthorization(st.Authorization)
	if err != nil || len(seed) != 32 {
		t.Errorf("SignatureFromAuthorization = %x, %v; want 32 bytes", seed, err)
	}
}

func TestHost(t *testing.T) {
	for _, c := range []struct{ url, host, want string }{
		{"https://h.example.com/", "", "h.example.com"},
		{"https://h.example.com:443/", "", "h.example.com"},
		{"http://h.example.com:80/", "", "h.example.com"},
		{"http://h.example.com:443/", "", "h.example.com:443"},
		{"https://h.example.com:80/", "", "h.example.com:80"},
		{"https://h.example.com:8443/", "", "h.example.com:8443"},
		{"http://127.0.0.1:8080/", "", "127.0.0.1:8080"},
		{"https://[::1]:443/", "", "[::1]"},
		{"https://[::1]/", "", "[::1]"},
		{"https://h.example.com/", "virtual.example.com", "virtual.example.com"},
	} {
		req, _ := http.NewRequest(http.MethodGet, c.url, nil)
		req.Host = c.host
		st, err := new(Signer).Steps(req, testCreds, "us-east-1", "bedrock", suiteTime, EmptyPayloadHash)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(st.CanonicalRequest, "\nhost:"+c.want+"\n") {
			t.Errorf("%s (Host %q): canonical request %q, want host:%s", c.url, c.host, st.CanonicalRequest, c.want)
		}
	}
}

func TestHeaderCanonicalization(t *testing.T) {
	req, _ := http.NewRequest(http.MethodGet, "https://h/", nil)
	req.Header["X-Spaces"] = []string{"  a   b  \t c\t", "\t d \t"}
	req.Header["x-dup"] = []string{"2"}
	req.Header["X-Dup"] = []string{"1"}
	req.Header["X-Empty"] = []string{""}
	for _, ns := range []string{"Authorization", "User-Agent", "X-Amzn-Trace-Id", "Expect", "Connection", "Transfer-Encoding", "Upgrade", "Te", "Keep-Alive", "Proxy-Authorization"} {
		req.Header[ns] = []string{"v"}
	}
	st, err := new(Signer).Steps(req, testCreds, "us-east-1", "bedrock", suiteTime, EmptyPayloadHash)
	if err != nil {
		t.Fatal(err)
	}
	want := "GET\n/\n\nhost:h\nx-amz-date:20150830T123600Z\nx-dup:1,2\nx-empty:\nx-spaces:a b c,d\n\nhost;x-amz-date;x-dup;x-empty;x-spaces\n" + EmptyPayloadHash
	if diff := cmp.Diff(want, st.CanonicalRequest); diff != "" {
		t.Errorf("canonical request (-want +got):\n%s", diff)
	}
}

func TestQueryCanonicalization(t *testing.T) {
	for _, c := range []struct{ raw, want string }{
		{"", ""},
		{"b=2&a=1", "a=1&b=2"},
		{"a=2&a=1&a=10", "a=1&a=10&a=2"},
		{"a", "a="},
		{"a=&b", "a=&b="},
		{"&&a=1&&", "a=1"},
		{"q=a+b", "q=a%20b"},
		{"q=a%20b", "q=a%20b"},
		{"q=%7e%2a", "q=~%2A"},
		{"k=v=w", "k=v%3Dw"},
		{"X-Amz-Expires=60&Action=x", "Action=x&X-Amz-Expires=60"},
		{"%E1%88%B4=bar", "%E1%88%B4=bar"},
		{"ሴ=bar", "%E1%88%B4=bar"},
		{"a;b=c", "a%3Bb=c"},
	} {
		req, _ := http.NewRequest(http.MethodGet, "https://h/", nil)
		req.URL.RawQuery = c.raw
		st, err := new(Signer).Steps(req, testCreds, "us-east-1", "bedrock", suiteTime, EmptyPayloadHash)
		if err != nil {
			t.Errorf("%q: %v", c.raw, err)
			continue
		}
		if got := strings.Split(st.CanonicalRequest, "\n")[2]; got != c.want {
			t.Errorf("query %q: canonical %q, want %q", c.raw, got, c.want)
		}
	}
}

func TestNormalizePath(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"", "/"}, {"/", "/"}, {"//", "/"}, {"/a/./b", "/a/b"}, {"/a/../b", "/b"},
		{"/../a", "/a"}, {"/a/b/..", "/a/"}, {"/a/.", "/a/"}, {"a/b", "/a/b"}, {"/a//b/", "/a/b/"},
	} {
		if got := normalizePath(c.in); got != c.want {
			t.Errorf("normalizePath(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// TestPayloadHashFromBody: an empty payload hash makes the signer hash the
// body, through GetBody when set, else by reading and restoring Body.
func TestPayloadHashFromBody(t *testing.T) {
	body := "Param1=value1"
	want := "9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e"
	withGetBody, _ := http.NewRequest(http.MethodPost, "https://h/", strings.NewReader(body))
	plain, _ := http.NewRequest(http.MethodPost, "https://h/", nil)
	plain.Body = io.NopCloser(strings.NewReader(body))
	empty, _ := http.NewRequest(http.MethodPost, "https://h/", nil)
	for name, c := range map[string]struct {
		req  *http.Request
		want string
	}{"GetBody": {withGetBody, want}, "Body only": {plain, want}, "no body": {empty, EmptyPayloadHash}} {
		st, err := new(Signer).Steps(c.req, testCreds, "us-east-1", "bedrock", suiteTime, "")
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !strings.HasSuffix(st.CanonicalRequest, "\n"+c.want) {
			t.Errorf("%s: canonical request ends %q, want hash %s", name, st.CanonicalRequest[len(st.CanonicalRequest)-64:], c.want)
		}
		if c.req.Body != nil && c.req.Body != http.NoBody {
			b, _ := io.ReadAll(c.req.Body)
			if string(b) != body {
				t.Errorf("%s: body after signing = %q, want %q", name, b, body)
			}
		}
	}
	failing, _ := http.NewRequest(http.MethodPost, "https://h/", nil)
	failing.Body = io.NopCloser(errReader{})
	if _, err := new(Signer).Steps(failing, testCreds, "us-east-1", "bedrock", suiteTime, ""); err == nil || !strings.Contains(err.Error(), "reading body") {
		t.Errorf("failing body: err = %v, want a reading-body error", err)
	}
}

type errReader struct{}

func (errReader) Read([]byte) (int, error) { return 0, errors.New("boom") }

// TestSigningKeyCache: keys are derived per (key, date, region, service),
// a rotated secret under the same key ID is noticed, and concurrent use is
// safe (run with -race).
func TestSigningKeyCache(t *testing.T) {
	var s Signer
	sign := func(creds Credentials, at time.Time, region string) string {
		req, _ := http.NewRequest(http.MethodGet, "https://h/", nil)
		st, err := s.Steps(req, creds, region, "bedrock", at, EmptyPayloadHash)
		if err != nil {
			t.Fatal(err)
		}
		return st.Signature
	}
	fresh := func(creds Credentials, at time.Time, region string) string {
		var s2 Signer
		req, _ := http.NewRequest(http.MethodGet, "https://h/", nil)
		st, _ := s2.Steps(req, creds, region, "bedrock", at, EmptyPayloadHash)
		return st.Signature
	}
	day2 := suiteTime.Add(24 * time.Hour)
	rotated := Credentials{AccessKeyID: testCreds.AccessKeyID, SecretAccessKey: "rotated"}
	for i := 0; i < 2; i++ {
		for _, c := range []struct {
			creds  Credentials
			at     time.Time
			region string
		}{{testCreds, suiteTime, "us-east-1"}, {testCreds, day2, "us-east-1"}, {testCreds, suiteTime, "eu-west-1"}, {rotated, suiteTime, "us-east-1"}} {
			if got, want := sign(c.creds, c.at, c.region), fresh(c.creds, c.at, c.region); got != want {
				t.Errorf("cached signature %s, fresh %s (%v %v %s)", got, want, c.creds.SecretAccessKey, c.at, c.region)
			}
		}
	}
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 200; i++ {
				at := suiteTime.Add(time.Duration((g+i)%3) * 24 * time.Hour)
				req, _ := http.NewRequest(http.MethodGet, "https://h/", nil)
				if err := s.SignHTTP(req, testCreds, "us-east-1", "bedrock", at, EmptyPayloadHash); err != nil {
					t.Error(err)
					return
				}
			}
		}(g)
	}
	wg.Wait()
	// Many distinct scopes do not grow the cache without bound.
	for i := 0; i < 3*maxCachedKeys; i++ {
		sign(testCreds, suiteTime.Add(time.Duration(i)*24*time.Hour), "us-east-1")
	}
	kc := s.keys()
	kc.mu.Lock()
	n := len(kc.keys)
	kc.mu.Unlock()
	if n > maxCachedKeys {
		t.Errorf("cache holds %d keys, bound is %d", n, maxCachedKeys)
	}
}

// TestSignAllocs holds the allocation budget of a signature.
func TestSignAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts are not meaningful under the race detector")
	}
	req := newConverseRequest(t)
	creds := Credentials{AccessKeyID: "ASIAEXAMPLE", SecretAccessKey: "secret", SessionToken: strings.Repeat("t", 600)}
	hash := HashHex(converseBody)
	var s Signer
	allocs := testing.AllocsPerRun(200, func() {
		if err := s.SignHTTP(req, creds, "us-east-1", "bedrock", benchTime, hash); err != nil {
			t.Fatal(err)
		}
	})
	// Two: the string holding the date and Authorization values, and the
	// slice of header values. (The budget is 4.)
	if allocs > 2 {
		t.Errorf("SignHTTP: %.1f allocations per signature, want 2", allocs)
	}
	buf := make([]byte, 0, 32)
	payload := make([]byte, 1024)
	prev := make([]byte, 32)
	allocs = testing.AllocsPerRun(200, func() {
		if _, err := s.AppendEventChunkSignature(buf[:0], creds, "us-east-1", "bedrock", benchTime, prev, payload[:15], payload); err != nil {
			t.Fatal(err)
		}
	})
	if allocs != 0 {
		t.Errorf("AppendEventChunkSignature: %.1f allocations, want 0", allocs)
	}
}

// TestContentLength: net/http sends Content-Length from ContentLength, so
// a positive ContentLength is signed (as the AWS SDKs do); an unknown or
// zero length is not, and a Content-Length header is signed as it is.
func TestContentLength(t *testing.T) {
	for _, c := range []struct {
		name   string
		length int64
		header string
		want   string // the content-length line, "" for none
	}{
		{"known", 2048, "", "content-length:2048"},
		{"zero", 0, "", ""},
		{"unknown (stream)", -1, "", ""},
		{"header wins", 2048, "15", "content-length:15"},
	} {
		req, _ := http.NewRequest(http.MethodPost, "https://h/", nil)
		req.ContentLength = c.length
		if c.header != "" {
			req.Header.Set("Content-Length", c.header)
		}
		st, err := new(Signer).Steps(req, testCreds, "us-east-1", "bedrock", suiteTime, EmptyPayloadHash)
		if err != nil {
			t.Fatal(err)
		}
		got := ""
		for _, line := range strings.Split(st.CanonicalRequest, "\n") {
			if strings.HasPrefix(line, "content-length:") {
				got = line
			}
		}
		if got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
		if (c.want != "") != strings.Contains(st.SignedHeaders, "content-length") {
			t.Errorf("%s: signed headers %q", c.name, st.SignedHeaders)
		}
	}
}

// TestSignerCopy: copies share the key cache and sign alike; go vet has no
// lock to complain about.
func TestSignerCopy(t *testing.T) {
	var a Signer
	req, _ := http.NewRequest(http.MethodGet, "https://h/", nil)
	sa, _ := a.Steps(req, testCreds, "us-east-1", "bedrock", suiteTime, EmptyPayloadHash)
	b := a
	sb, _ := b.Steps(req, testCreds, "us-east-1", "bedrock", suiteTime, EmptyPayloadHash)
	if sa != sb || a.keys() != b.keys() {
		t.Errorf("copy signs differently or has its own cache")
	}
}

// TestHasByteBelow0x21 checks the eight-bytes-at-once scan against the
// plain test, for every byte value at every position, among high bytes too.
func TestHasByteBelow0x21(t *testing.T) {
	for _, fill := range []byte{'A', 0x7f, 0x80, 0xff, '!'} {
		for c := 0; c < 256; c++ {
			for pos := 0; pos < 8; pos++ {
				b := []byte{fill, fill, fill, fill, fill, fill, fill, fill}
				b[pos] = byte(c)
				if got, want := hasByteBelow0x21(string(b)), c < 0x21; got != want {
					t.Fatalf("fill %#x, byte %#x at %d: %v, want %v", fill, c, pos, got, want)
				}
			}
		}
	}
}

// TestSessionTokenCanonical: the signer remembers the last session token it
// found free of blanks and control characters and copies it verbatim; any
// other token still goes through trimming, folding and the CR/LF check,
// before and after a clean one was remembered.
func TestSessionTokenCanonical(t *testing.T) {
	var s Signer
	sign := func(tok string) (string, error) {
		req, _ := http.NewRequest(http.MethodGet, "https://example.amazonaws.com/", nil)
		creds := Credentials{AccessKeyID: "AKID", SecretAccessKey: "secret", SessionToken: tok}
		st, err := s.Steps(req, creds, "us-east-1", "bedrock", benchTime, EmptyPayloadHash)
		return st.CanonicalRequest, err
	}
	for _, c := range []struct{ tok, line string }{
		{"clean/Token+=", "x-amz-security-token:clean/Token+=\n"},
		{"clean/Token+=", "x-amz-security-token:clean/Token+=\n"}, // remembered
		{"  two  words\t", "x-amz-security-token:two words\n"},
		{"clean/Token+=", "x-amz-security-token:clean/Token+=\n"},
		{"a\tb", "x-amz-security-token:a b\n"},
	} {
		cr, err := sign(c.tok)
		if err != nil {
			t.Fatalf("token %q: %v", c.tok, err)
		}
		if !strings.Contains(cr, c.line) {
			t.Errorf("token %q: canonical request lacks %q:\n%s", c.tok, c.line, cr)
		}
	}
	for _, tok := range []string{"evil\r\nX-Injected: 1", "nul\x00", "lf\n"} {
		if _, err := sign(tok); !errors.Is(err, ErrHeaderValue) {
			t.Errorf("token %q: err = %v, want ErrHeaderValue", tok, err)
		}
		if _, err := sign("clean/Token+="); err != nil {
			t.Fatal(err)
		}
	}
}
