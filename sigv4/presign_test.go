package sigv4

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// s3DocCreds and s3DocTime are those of the Amazon S3 API reference
// examples ("Authenticating Requests: Using Query Parameters" and
// "Authenticating Requests: Using the Authorization Header", GET Object).
var (
	s3DocCreds = Credentials{AccessKeyID: "AKIAIOSFODNN7EXAMPLE", SecretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"}
	s3DocTime  = time.Date(2013, 5, 24, 0, 0, 0, 0, time.UTC)
)

// TestPresignS3Example is the S3 documentation's presigned GET of
// examplebucket/test.txt, valid 86400 s, UNSIGNED-PAYLOAD, single encoding.
func TestPresignS3Example(t *testing.T) {
	req, err := http.NewRequest(http.MethodGet, "https://examplebucket.s3.amazonaws.com/test.txt", nil)
	if err != nil {
		t.Fatal(err)
	}
	s := &Signer{SingleEncode: true}
	st, hdr, err := s.PresignSteps(req, s3DocCreds, "us-east-1", "s3", s3DocTime, 86400*time.Second, UnsignedPayload)
	if err != nil {
		t.Fatal(err)
	}
	want := Steps{
		CanonicalRequest: "GET\n/test.txt\n" +
			"X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host\n" +
			"host:examplebucket.s3.amazonaws.com\n\nhost\nUNSIGNED-PAYLOAD",
		StringToSign:  "AWS4-HMAC-SHA256\n20130524T000000Z\n20130524/us-east-1/s3/aws4_request\n3bfa292879f6447bbcda7001decf97f4a54dc650c8942174ae0a9121cf58ad04",
		Signature:     "aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404",
		SignedHeaders: "host",
		Scope:         "20130524/us-east-1/s3/aws4_request",
		AmzDate:       "20130524T000000Z",
		URL: "https://examplebucket.s3.amazonaws.com/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host" +
			"&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404",
	}
	if diff := cmp.Diff(want, st); diff != "" {
		t.Errorf("steps (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(http.Header{}, hdr); diff != "" {
		t.Errorf("headers to send (-want +got):\n%s", diff)
	}
	u, _, err := s.Presign(req, s3DocCreds, "us-east-1", "s3", s3DocTime, 86400*time.Second, UnsignedPayload)
	if err != nil || u != want.URL {
		t.Errorf("Presign = %q, %v; want %q", u, err, want.URL)
	}
}

// TestPresignIAMExample is the presigned IAM ListUsers of the AWS SigV4
// documentation: a signed Content-Type header, 60 s.
func TestPresignIAMExample(t *testing.T) {
	req, err := http.NewRequest(http.MethodGet, "https://iam.amazonaws.com/?Action=ListUsers&Version=2010-05-08", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	var s Signer
	u, hdr, err := s.Presign(req, suiteCreds, "us-east-1", "iam", suiteTime, time.Minute, "")
	if err != nil {
		t.Fatal(err)
	}
	want := "https://iam.amazonaws.com/?Action=ListUsers&Version=2010-05-08&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20150830%2Fus-east-1%2Fiam%2Faws4_request&X-Amz-Date=20150830T123600Z&X-Amz-Expires=60&X-Amz-SignedHeaders=content-type%3Bhost&X-Amz-Signature=37ac2f4fde00b0ac9bd9eadeb459b1bbee224158d66e7ae5fcadb70b2d181d02"
	if diff := cmp.Diff(want, u); diff != "" {
		t.Errorf("URL (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(http.Header{"Content-Type": {"application/x-www-form-urlencoded; charset=utf-8"}}, hdr); diff != "" {
		t.Errorf("headers to send (-want +got):\n%s", diff)
	}
}

// TestSignS3GetObjectExample is the S3 documentation's header-signed GET
// Object: single encoding, X-Amz-Content-Sha256 sent and signed.
func TestSignS3GetObjectExample(t *testing.T) {
	req, err := http.NewRequest(http.MethodGet, "https://examplebucket.s3.amazonaws.com/test.txt", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Range", "bytes=0-9")
	s := &Signer{SingleEncode: true, ContentSHA256Header: true}
	st, err := s.Steps(req, s3DocCreds, "us-east-1", "s3", s3DocTime, EmptyPayloadHash)
	if err != nil {
		t.Fatal(err)
	}
	wantCR := "GET\n/test.txt\n\nhost:examplebucket.s3.amazonaws.com\nrange:bytes=0-9\n" +
		"x-amz-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n" +
		"x-amz-date:20130524T000000Z\n\nhost;range;x-amz-content-sha256;x-amz-date\n" +
		"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
	if diff := cmp.Diff(wantCR, st.CanonicalRequest); diff != "" {
		t.Errorf("canonical request (-want +got):\n%s", diff)
	}
	wantSTS := "AWS4-HMAC-SHA256\n20130524T000000Z\n20130524/us-east-1/s3/aws4_request\n7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972"
	if diff := cmp.Diff(wantSTS, st.StringToSign); diff != "" {
		t.Errorf("string to sign (-want +got):\n%s", diff)
	}
	if err := s.SignHTTP(req, s3DocCreds, "us-east-1", "s3", s3DocTime, EmptyPayloadHash); err != nil {
		t.Fatal(err)
	}
	want := http.Header{
		"Range":                {"bytes=0-9"},
		"X-Amz-Date":           {"20130524T000000Z"},
		"X-Amz-Content-Sha256": {EmptyPayloadHash},
		"Authorization": {"AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, " +
			"SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"},
	}
	if diff := cmp.Diff(want, req.Header); diff != "" {
		t.Errorf("signed headers (-want +got):\n%s", diff)
	}
}

func TestPresignErrors(t *testing.T) {
	req, _ := http.NewRequest(http.MethodGet, "https://bedrock.amazonaws.com/?Action=CallWithBearerToken", nil)
	var s Signer
	for _, c := range []struct {
		name    string
		creds   Credentials
		expires time.Duration
		want    string
	}{
		{"zero expiry", testCreds, 0, "out of range"},
		{"sub-second", testCreds, 999 * time.Millisecond, "out of range"},
		{"over 7 days", testCreds, 7*24*time.Hour + time.Second, "out of range"},
		{"no keys", Credentials{}, time.Minute, "missing credentials"},
	} {
		_, _, err := s.Presign(req, c.creds, "us-east-1", "bedrock", suiteTime, c.expires, "")
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err = %v, want it to contain %q", c.name, err, c.want)
		}
	}
	// The limits themselves are allowed.
	for _, d := range []time.Duration{time.Second, 7 * 24 * time.Hour} {
		if _, _, err := s.Presign(req, testCreds, "us-east-1", "bedrock", suiteTime, d, ""); err != nil {
			t.Errorf("expiry %v: %v", d, err)
		}
	}
}

// TestPresignReplacesAuthQuery: presigning a presigned URL again replaces
// its X-Amz-* parameters instead of duplicating them.
func TestPresignReplacesAuthQuery(t *testing.T) {
	req, _ := http.NewRequest(http.MethodGet, "https://bedrock.amazonaws.com/?Action=CallWithBearerToken&Version=1", nil)
	var s Signer
	first, _, err := s.Presign(req, testCreds, "us-east-1", "bedrock", suiteTime, time.Hour, "")
	if err != nil {
		t.Fatal(err)
	}
	req2, _ := http.NewRequest(http.MethodGet, first, nil)
	second, _, err := s.Presign(req2, testCreds, "us-east-1", "bedrock", suiteTime, time.Hour, "")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(first, second); diff != "" {
		t.Errorf("re-presigned URL (-first +second):\n%s", diff)
	}
}

func TestVerifyPresigned(t *testing.T) {
	now := suiteTime
	session := Credentials{AccessKeyID: "ASIAEXAMPLE", SecretAccessKey: "secret", SessionToken: "tok+/="}
	v := &Verifier{
		Region: "us-east-1", Service: "bedrock",
		Credentials: func(id string) (Credentials, bool) {
			switch id {
			case testCreds.AccessKeyID:
				return testCreds, true
			case session.AccessKeyID:
				return session, true
			}
			return Credentials{}, false
		},
		Now: func() time.Time { return now },
	}
	srv := verifyServer(t, v, true)
	var s Signer
	for _, c := range []struct {
		name     string
		creds    Credentials
		signedAt time.Time
		expires  time.Duration
		mutate   func(string) string
		wantCode string
	}{
		{name: "ok", creds: testCreds, signedAt: now, expires: time.Minute},
		{name: "session", creds: session, signedAt: now, expires: time.Minute},
		{name: "last second", creds: testCreds, signedAt: now.Add(-time.Minute), expires: time.Minute},
		{name: "expired", creds: testCreds, signedAt: now.Add(-time.Minute - time.Second), expires: time.Minute, wantCode: CodeInvalidSignature},
		{name: "tampered query", creds: testCreds, signedAt: now, expires: time.Minute, mutate: func(u string) string { return strings.Replace(u, "Version=1", "Version=2", 1) }, wantCode: CodeInvalidSignature},
		{name: "longer expiry claimed", creds: testCreds, signedAt: now, expires: time.Minute, mutate: func(u string) string { return strings.Replace(u, "X-Amz-Expires=60", "X-Amz-Expires=600", 1) }, wantCode: CodeInvalidSignature},
		{name: "no signature", creds: testCreds, signedAt: now, expires: time.Minute, mutate: func(u string) string { return u[:strings.Index(u, "&X-Amz-Signature")] }, wantCode: CodeIncompleteSignature},
		{name: "unknown key", creds: Credentials{AccessKeyID: "AKIDX", SecretAccessKey: "s"}, signedAt: now, expires: time.Minute, wantCode: CodeUnrecognizedClient},
	} {
		t.Run(c.name, func(t *testing.T) {
			req, _ := http.NewRequest(http.MethodGet, srv.URL+"/?Action=CallWithBearerToken&Version=1", nil)
			u, hdr, err := s.Presign(req, c.creds, "us-east-1", "bedrock", c.signedAt, c.expires, "")
			if err != nil {
				t.Fatal(err)
			}
			if c.mutate != nil {
				u = c.mutate(u)
			}
			get, _ := http.NewRequest(http.MethodGet, u, nil)
			for k, vs := range hdr {
				get.Header[k] = vs
			}
			resp, err := srv.Client().Do(get)
			if err != nil {
				t.Fatal(err)
			}
			msg, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if diff := cmp.Diff(c.wantCode, resp.Header.Get("X-Amzn-Errortype")); diff != "" {
				t.Errorf("error code (-want +got):\n%s\n%s", diff, msg)
			}
		})
	}
}

func TestVerifyPresignedNotPresigned(t *testing.T) {
	v := &Verifier{Credentials: func(string) (Credentials, bool) { return testCreds, true }}
	req := httptest.NewRequest(http.MethodGet, "/?a=b", nil)
	_, err := v.VerifyPresigned(req, "")
	var ve *VerifyError
	if !errors.As(err, &ve) || ve.Code != CodeMissingAuthenticationToken {
		t.Errorf("err = %v, want %s", err, CodeMissingAuthenticationToken)
	}
}
