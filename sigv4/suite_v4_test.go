package sigv4

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// The v4 SigV4 test suite AWS keeps in awslabs/aws-c-auth
// (tests/aws-signing-test-suite/v4), transcribed into testdata/suite-v4:
// for each of its 38 cases the request, the context (credentials, region,
// service, time, expiry, path normalisation, body signing) and, for header
// signing and for query signing, the canonical request, the string to sign,
// the signature and the signed request. testdata/suite-v4/SOURCES.md says
// where each file comes from.

// v4SuiteCases are the case directories; the suite has exactly these.
var v4SuiteCases = []string{
	"get-header-key-duplicate", "get-header-value-multiline", "get-header-value-order", "get-header-value-trim",
	"get-relative-normalized", "get-relative-relative-normalized", "get-relative-relative-unnormalized", "get-relative-unnormalized",
	"get-slash-dot-slash-normalized", "get-slash-dot-slash-unnormalized", "get-slash-normalized",
	"get-slash-pointless-dot-normalized", "get-slash-pointless-dot-unnormalized", "get-slash-unnormalized",
	"get-slashes-normalized", "get-slashes-unnormalized", "get-space-normalized", "get-space-unnormalized",
	"get-unreserved", "get-utf8", "get-vanilla", "get-vanilla-empty-query-key", "get-vanilla-query",
	"get-vanilla-query-order-encoded", "get-vanilla-query-order-key-case", "get-vanilla-query-unreserved",
	"get-vanilla-utf8-query", "get-vanilla-with-session-token", "post-header-key-case", "post-header-key-sort",
	"post-header-value-case", "post-sts-header-after", "post-sts-header-before", "post-vanilla",
	"post-vanilla-empty-query-value", "post-vanilla-query", "post-x-www-form-urlencoded",
	"post-x-www-form-urlencoded-parameters",
}

// v4Context is a case's context.json. Unknown fields are an error, so that
// a context asking for something the test does not honour cannot pass
// unnoticed.
type v4Context struct {
	Credentials struct {
		AccessKeyID     string `json:"access_key_id"`
		SecretAccessKey string `json:"secret_access_key"`
		Token           string `json:"token"`
	} `json:"credentials"`
	ExpirationInSeconds int       `json:"expiration_in_seconds"`
	Normalize           bool      `json:"normalize"`
	Region              string    `json:"region"`
	Service             string    `json:"service"`
	Timestamp           time.Time `json:"timestamp"`
	SignBody            bool      `json:"sign_body"`
	SignedBodyValue     string    `json:"signed_body_value"`
	OmitSessionToken    bool      `json:"omit_session_token"`
}

// v4Case is one case: its context and its files by name.
type v4Case struct {
	name  string
	ctx   v4Context
	files map[string]string
}

var v4FileNames = []string{
	"context.json", "request.txt",
	"header-canonical-request.txt", "header-string-to-sign.txt", "header-signature.txt", "header-signed-request.txt",
	"query-canonical-request.txt", "query-string-to-sign.txt", "query-signature.txt", "query-signed-request.txt",
}

func loadV4Suite(t testing.TB, dir string) []v4Case {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		if e.IsDir() {
			names = append(names, e.Name())
		}
	}
	if diff := cmp.Diff(v4SuiteCases, names); diff != "" {
		t.Fatalf("case directories of %s (-want +got):\n%s", dir, diff)
	}
	cases := make([]v4Case, 0, len(names))
	for _, name := range names {
		c := v4Case{name: name, files: make(map[string]string)}
		for _, f := range v4FileNames {
			b, err := os.ReadFile(filepath.Join(dir, name, f))
			if err != nil {
				t.Fatal(err)
			}
			c.files[f] = string(b)
		}
		d := json.NewDecoder(strings.NewReader(c.files["context.json"]))
		d.DisallowUnknownFields()
		if err := d.Decode(&c.ctx); err != nil {
			t.Fatalf("%s/context.json: %v", name, err)
		}
		cases = append(cases, c)
	}
	return cases
}

// unfoldRawRequest joins each obs-fold continuation line to the line before
// it with one space, as RFC 7230 section 3.2.4 lets a recipient do and as
// the v4 suite reads get-header-value-multiline ("value1 value2 value3",
// one value). ParseRawRequest keeps the 2015 suite's reading (one more
// value per line), which testdata/suite and `bedrock sign` rely on.
func unfoldRawRequest(raw string) string {
	head, body, found := strings.Cut(raw, "\n\n")
	lines := strings.Split(head, "\n")
	out := lines[:1]
	for _, l := range lines[1:] {
		if l != "" && (l[0] == ' ' || l[0] == '\t') {
			out[len(out)-1] = strings.TrimRight(out[len(out)-1], " \t") + " " + strings.Trim(l, " \t")
			continue
		}
		out = append(out, l)
	}
	s := strings.Join(out, "\n")
	if found {
		s += "\n\n" + body
	}
	return s
}

func parseV4Request(t *testing.T, raw string) *http.Request {
	t.Helper()
	req, err := ParseRawRequest([]byte(unfoldRawRequest(raw)), "https")
	if err != nil {
		t.Fatal(err)
	}
	return req
}

var signatureRE = regexp.MustCompile(`Signature=([0-9a-f]{64})`)

// TestSuiteV4Transcription checks the files against each other, so that a
// transcription slip cannot pass: the SHA-256 of each canonical request is
// the last line of its string to sign, the HMAC of the string to sign under
// the context's key is the signature file, and the signature file is the
// signature in the signed request.
func TestSuiteV4Transcription(t *testing.T) {
	for _, c := range loadV4Suite(t, filepath.Join("testdata", "suite-v4")) {
		t.Run(c.name, func(t *testing.T) {
			at := c.ctx.Timestamp.UTC()
			key := deriveKeyForTest(c.ctx.Credentials.SecretAccessKey, at.Format(DateFormat), c.ctx.Region, c.ctx.Service)
			for _, kind := range []string{"header", "query"} {
				cr := c.files[kind+"-canonical-request.txt"]
				sts := c.files[kind+"-string-to-sign.txt"]
				sum := sha256.Sum256([]byte(cr))
				lines := strings.Split(sts, "\n")
				if diff := cmp.Diff(hex.EncodeToString(sum[:]), lines[len(lines)-1]); diff != "" {
					t.Errorf("%s: SHA-256 of the canonical request vs last line of the string to sign (-want +got):\n%s", kind, diff)
				}
				wantSTS := Algorithm + "\n" + at.Format(TimeFormat) + "\n" + at.Format(DateFormat) + "/" + c.ctx.Region + "/" + c.ctx.Service + "/aws4_request\n" + lines[len(lines)-1]
				if diff := cmp.Diff(wantSTS, sts); diff != "" {
					t.Errorf("%s: string to sign (-want +got):\n%s", kind, diff)
				}
				if diff := cmp.Diff(c.files[kind+"-signature.txt"], hmacHexForTest(key, sts)); diff != "" {
					t.Errorf("%s: signature file vs HMAC of the string to sign (-want +got):\n%s", kind, diff)
				}
			}
			m := signatureRE.FindStringSubmatch(c.files["header-signed-request.txt"])
			if m == nil || m[1] != c.files["header-signature.txt"] {
				t.Errorf("header-signed-request.txt carries signature %q, header-signature.txt %q", m, c.files["header-signature.txt"])
			}
			if got := querySignedParams(t, c.files["query-signed-request.txt"]).Get(QuerySignature); got != c.files["query-signature.txt"] {
				t.Errorf("query-signed-request.txt carries signature %q, query-signature.txt %q", got, c.files["query-signature.txt"])
			}
		})
	}
}

// v4Signer returns the signer, credentials and payload hash a context asks
// for.
func v4Signer(ctx *v4Context) (*Signer, Credentials, string) {
	s := &Signer{NormalizePath: ctx.Normalize, ContentSHA256Header: ctx.SignBody}
	creds := Credentials{
		AccessKeyID:     ctx.Credentials.AccessKeyID,
		SecretAccessKey: ctx.Credentials.SecretAccessKey,
		SessionToken:    ctx.Credentials.Token,
	}
	if ctx.OmitSessionToken {
		creds.SessionToken = "" // added after signing, unsigned
	}
	return s, creds, ctx.SignedBodyValue // "": the SHA-256 of the body
}

func TestSuiteV4HeaderSigning(t *testing.T) {
	for _, c := range loadV4Suite(t, filepath.Join("testdata", "suite-v4")) {
		t.Run(c.name, func(t *testing.T) {
			s, creds, payload := v4Signer(&c.ctx)
			req := parseV4Request(t, c.files["request.txt"])
			st, err := s.Steps(req, creds, c.ctx.Region, c.ctx.Service, c.ctx.Timestamp, payload)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(c.files["header-canonical-request.txt"], st.CanonicalRequest); diff != "" {
				t.Errorf("canonical request (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(c.files["header-string-to-sign.txt"], st.StringToSign); diff != "" {
				t.Errorf("string to sign (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(c.files["header-signature.txt"], st.Signature); diff != "" {
				t.Errorf("signature (-want +got):\n%s", diff)
			}

			if err := s.SignHTTP(req, creds, c.ctx.Region, c.ctx.Service, c.ctx.Timestamp, payload); err != nil {
				t.Fatal(err)
			}
			if c.ctx.OmitSessionToken && c.ctx.Credentials.Token != "" {
				req.Header.Set(HeaderSecurityToken, c.ctx.Credentials.Token)
			}
			want := parseV4Request(t, c.files["header-signed-request.txt"])
			if diff := cmp.Diff(want.Header, req.Header); diff != "" {
				t.Errorf("signed request headers (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(want.Method+" "+want.Host+wirePath(want.URL), req.Method+" "+req.Host+wirePath(req.URL)); diff != "" {
				t.Errorf("signed request line (-want +got):\n%s", diff)
			}
		})
	}
}

// querySignedParams returns the query of the request line of a
// query-signed-request.txt.
func querySignedParams(t testing.TB, raw string) url.Values {
	t.Helper()
	line, _, _ := strings.Cut(raw, "\n")
	target := line[strings.IndexByte(line, ' ')+1 : strings.LastIndexByte(line, ' ')]
	_, q, _ := strings.Cut(target, "?")
	v, err := url.ParseQuery(q)
	if err != nil {
		t.Fatalf("query of %q: %v", line, err)
	}
	return v
}

func TestSuiteV4QuerySigning(t *testing.T) {
	for _, c := range loadV4Suite(t, filepath.Join("testdata", "suite-v4")) {
		t.Run(c.name, func(t *testing.T) {
			s, creds, payload := v4Signer(&c.ctx)
			req := parseV4Request(t, c.files["request.txt"])
			expires := time.Duration(c.ctx.ExpirationInSeconds) * time.Second
			st, hdr, err := s.PresignSteps(req, creds, c.ctx.Region, c.ctx.Service, c.ctx.Timestamp, expires, payload)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(c.files["query-canonical-request.txt"], st.CanonicalRequest); diff != "" {
				t.Errorf("canonical request (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(c.files["query-string-to-sign.txt"], st.StringToSign); diff != "" {
				t.Errorf("string to sign (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(c.files["query-signature.txt"], st.Signature); diff != "" {
				t.Errorf("signature (-want +got):\n%s", diff)
			}

			// The URL: same path, same parameters (aws-c-auth writes them in
			// its own order, and repeats X-Amz-Security-Token after the
			// signature; each distinct pair is compared once).
			signed := c.files["query-signed-request.txt"]
			line, _, _ := strings.Cut(signed, "\n")
			target := line[strings.IndexByte(line, ' ')+1 : strings.LastIndexByte(line, ' ')]
			wantPath, _, _ := strings.Cut(target, "?")
			u, err := url.Parse(st.URL)
			if err != nil {
				t.Fatalf("URL %q: %v", st.URL, err)
			}
			wantURL := "https://" + req.Host + wantPath
			if diff := cmp.Diff(wantURL, u.Scheme+"://"+u.Host+strings.TrimSuffix(st.URL[len(u.Scheme)+3+len(u.Host):], "?"+u.RawQuery)); diff != "" {
				t.Errorf("presigned URL before the query (-want +got):\n%s", diff)
			}
			wantQ := querySignedParams(t, signed)
			for k, vs := range wantQ {
				wantQ[k] = slices.Compact(vs)
			}
			gotQ, err := url.ParseQuery(u.RawQuery)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(wantQ, gotQ); diff != "" {
				t.Errorf("presigned URL parameters (-want +got):\n%s", diff)
			}

			// The headers to send: those of the signed request that are
			// signed (host travels in the URL), and X-Amz-Content-Sha256 when
			// the body is signed (aws-c-auth's file signs it but leaves it
			// out of the request). Its X-Amz-Date header is not signed and
			// repeats the X-Amz-Date parameter.
			wantReq := parseV4Request(t, signed)
			signedNames := strings.Split(wantQ.Get(QuerySignedHeaders), ";")
			wantH := http.Header{}
			for k, vs := range wantReq.Header {
				if slices.Contains(signedNames, strings.ToLower(k)) {
					wantH[k] = vs
				}
			}
			if c.ctx.SignBody {
				wantH[HeaderContentSHA256] = []string{HashHex(bodyOf(t, wantReq))}
			}
			if diff := cmp.Diff(wantH, hdr); diff != "" {
				t.Errorf("headers to send with the URL (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(wantReq.Header[HeaderDate], []string{wantQ.Get(QueryDate)}); diff != "" {
				t.Errorf("X-Amz-Date header of the signed request vs parameter (-want +got):\n%s", diff)
			}
		})
	}
}

// TestSuiteV4ServerSide verifies the published header-signed and
// query-signed requests as a server receives them.
func TestSuiteV4ServerSide(t *testing.T) {
	for _, c := range loadV4Suite(t, filepath.Join("testdata", "suite-v4")) {
		t.Run(c.name, func(t *testing.T) {
			s, creds, payload := v4Signer(&c.ctx)
			v := &Verifier{
				Region: c.ctx.Region, Service: c.ctx.Service,
				Credentials: func(string) (Credentials, bool) { return creds, true },
				Now:         func() time.Time { return c.ctx.Timestamp.Add(time.Minute) },
				Signer:      Signer{NormalizePath: s.NormalizePath},
			}
			for _, kind := range []string{"header", "query"} {
				raw := c.files[kind+"-signed-request.txt"]
				if kind == "query" {
					// aws-c-auth's file repeats X-Amz-Security-Token after
					// the signature; a server would see it twice.
					raw = dropRepeatedTokenParam(raw)
				}
				req := parseV4Request(t, raw)
				line, _, _ := strings.Cut(raw, "\n")
				req.RequestURI = line[strings.IndexByte(line, ' ')+1 : strings.LastIndexByte(line, ' ')]
				var err error
				if kind == "header" {
					_, err = v.VerifyHTTP(req, payload)
				} else {
					if c.ctx.SignBody {
						req.Header.Set(HeaderContentSHA256, HashHex(bodyOf(t, req)))
					}
					_, err = v.VerifyPresigned(req, payload)
				}
				if err != nil {
					t.Errorf("%s-signed request: %v", kind, err)
				}
			}
		})
	}
}

// deriveKeyForTest and hmacHexForTest compute the signing key and a
// signature with crypto/hmac, independently of the signer's own HMAC.
func deriveKeyForTest(secret, date, region, service string) []byte {
	k := []byte("AWS4" + secret)
	for _, m := range []string{date, region, service, "aws4_request"} {
		h := hmac.New(sha256.New, k)
		h.Write([]byte(m))
		k = h.Sum(nil)
	}
	return k
}

func hmacHexForTest(key []byte, msg string) string {
	h := hmac.New(sha256.New, key)
	h.Write([]byte(msg))
	return hex.EncodeToString(h.Sum(nil))
}

// dropRepeatedTokenParam removes an X-Amz-Security-Token parameter that
// follows X-Amz-Signature in the request line of raw.
func dropRepeatedTokenParam(raw string) string {
	line, rest, _ := strings.Cut(raw, "\n")
	i := strings.Index(line, "&"+QuerySignature+"=")
	if i < 0 {
		return raw
	}
	tail := line[i:]
	if j := strings.Index(tail, "&"+QuerySecurityToken+"="); j >= 0 {
		end := strings.IndexAny(tail[j+1:], "& ")
		tail = tail[:j] + tail[j+1+end:]
	}
	return line[:i] + tail + "\n" + rest
}

func bodyOf(t *testing.T, req *http.Request) []byte {
	t.Helper()
	if req.GetBody == nil {
		return nil
	}
	r, err := req.GetBody()
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if _, err := b.ReadFrom(r); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}
