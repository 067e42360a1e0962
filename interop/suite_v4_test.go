package interop

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	sdkv4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/bedrockwire/bedrockwire/sigv4"
)

// sdkSuiteV4Failures are the header-signing cases of AWS's v4 SigV4 test
// suite (../sigv4/testdata/suite-v4) where the SDK's v4.Signer.SignHTTP
// does not produce the published signature: the cases that need the path
// normalised (dot segments, repeated slashes), which the SDK never does.
// The list is exact, so that a change in the SDK shows here. (The SDK is
// given DisableURIPathEscaping, as the suite escapes its literal paths
// once; with its default double escaping it also misses get-space-normalized,
// get-space-unnormalized and get-utf8: 9 of 38.)
var sdkSuiteV4Failures = []string{
	"get-relative-normalized",
	"get-relative-relative-normalized",
	"get-slash-dot-slash-normalized",
	"get-slash-normalized",
	"get-slash-pointless-dot-normalized",
	"get-slashes-normalized",
}

type suiteV4Context struct {
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

// unfoldSuiteRequest joins obs-fold continuation lines to the header line
// before them with one space, the v4 suite's reading of a folded header.
func unfoldSuiteRequest(raw string) string {
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

// sdkSuiteRequest builds the request the SDK signs for a suite request:
// the literal path as URL.Path (signed escaped once, with
// DisableURIPathEscaping, which is how the suite escapes its literal paths),
// the raw query, the headers, and ContentLength from the body as net/http
// sends it.
func sdkSuiteRequest(t *testing.T, parsed *http.Request) *http.Request {
	t.Helper()
	path, _, _ := strings.Cut(parsed.URL.Opaque, "?")
	// ParseRawRequest spells a path that starts with "//" as "//host//…".
	if rest, ok := strings.CutPrefix(path, "//"+parsed.Host); ok {
		path = rest
	}
	u := &url.URL{Scheme: "https", Host: parsed.Host, Path: path, RawQuery: parsed.URL.RawQuery}
	req := &http.Request{Method: parsed.Method, URL: u, Host: parsed.Host, Header: parsed.Header.Clone(), Body: http.NoBody}
	if parsed.GetBody != nil {
		r, err := parsed.GetBody()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(r)
		if err != nil {
			t.Fatal(err)
		}
		req.ContentLength = int64(len(b))
		req.Header.Del("Content-Length") // sent from ContentLength
	}
	return req
}

var suiteSignatureRE = regexp.MustCompile(`Signature=([0-9a-f]{64})`)

// TestSuiteV4SDKAndOurs signs the 38 header-signing cases with the SDK's
// signer and ours and compares each with AWS's published signature.
func TestSuiteV4SDKAndOurs(t *testing.T) {
	root := filepath.Join("..", "sigv4", "testdata", "suite-v4")
	entries, err := os.ReadDir(root)
	if err != nil {
		t.Fatal(err)
	}
	var sdkFailed []string
	cases := 0
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		cases++
		name := e.Name()
		read := func(f string) string {
			b, err := os.ReadFile(filepath.Join(root, name, f))
			if err != nil {
				t.Fatal(err)
			}
			return string(b)
		}
		var ctx suiteV4Context
		d := json.NewDecoder(strings.NewReader(read("context.json")))
		d.DisallowUnknownFields()
		if err := d.Decode(&ctx); err != nil {
			t.Fatalf("%s/context.json: %v", name, err)
		}
		want := read("header-signature.txt")
		if m := suiteSignatureRE.FindStringSubmatch(read("header-signed-request.txt")); m == nil || m[1] != want {
			t.Fatalf("%s: header-signed-request.txt and header-signature.txt disagree", name)
		}
		parsed, err := sigv4.ParseRawRequest([]byte(unfoldSuiteRequest(read("request.txt"))), "https")
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		token := ctx.Credentials.Token
		if ctx.OmitSessionToken {
			token = ""
		}
		payload := ctx.SignedBodyValue

		// Ours, exactly as the context says.
		ours := &sigv4.Signer{NormalizePath: ctx.Normalize, ContentSHA256Header: ctx.SignBody}
		ourReq := parsed.Clone(context.Background())
		creds := sigv4.Credentials{AccessKeyID: ctx.Credentials.AccessKeyID, SecretAccessKey: ctx.Credentials.SecretAccessKey, SessionToken: token}
		if err := ours.SignHTTP(ourReq, creds, ctx.Region, ctx.Service, ctx.Timestamp, payload); err != nil {
			t.Errorf("%s: our signer: %v", name, err)
		} else if m := suiteSignatureRE.FindStringSubmatch(ourReq.Header.Get("Authorization")); m == nil || m[1] != want {
			t.Errorf("%s: our signature (-want +got):\n-%s\n+%s", name, want, ourReq.Header.Get("Authorization"))
		}

		// The SDK: no path normalisation option; the body's hash as the
		// payload hash, sent as X-Amz-Content-Sha256 when the body is signed.
		sdkReq := sdkSuiteRequest(t, parsed)
		hash := payload
		if hash == "" {
			body := []byte{}
			if parsed.GetBody != nil {
				r, _ := parsed.GetBody()
				body, _ = io.ReadAll(r)
			}
			hash = sigv4.HashHex(body)
		}
		if ctx.SignBody {
			sdkReq.Header.Set("X-Amz-Content-Sha256", hash)
		}
		sdk := sdkv4.NewSigner(func(o *sdkv4.SignerOptions) { o.DisableURIPathEscaping = true })
		sdkCreds := aws.Credentials{AccessKeyID: ctx.Credentials.AccessKeyID, SecretAccessKey: ctx.Credentials.SecretAccessKey, SessionToken: token}
		if err := sdk.SignHTTP(context.Background(), sdkCreds, sdkReq, hash, ctx.Service, ctx.Region, ctx.Timestamp); err != nil {
			t.Fatalf("%s: sdk signer: %v", name, err)
		}
		if m := suiteSignatureRE.FindStringSubmatch(sdkReq.Header.Get("Authorization")); m == nil || m[1] != want {
			sdkFailed = append(sdkFailed, name)
		}
	}
	if cases != 38 {
		t.Fatalf("found %d cases, want 38", cases)
	}
	t.Logf("the SDK's v4.Signer.SignHTTP misses the published signature in %d of %d cases: %s", len(sdkFailed), cases, strings.Join(sdkFailed, ", "))
	if !slices.Equal(sdkSuiteV4Failures, sdkFailed) {
		t.Errorf("cases the SDK fails (-want +got):\n-%s\n+%s", strings.Join(sdkSuiteV4Failures, " "), strings.Join(sdkFailed, " "))
	}
}
