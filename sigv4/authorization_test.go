package sigv4

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseAuthorization(t *testing.T) {
	const sig = "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"
	want := Authorization{AccessKeyID: "AKIDEXAMPLE", Date: "20150830", Region: "us-east-1", Service: "service",
		SignedHeaders: []string{"host", "x-amz-date"}, Signature: sig}
	for _, in := range []string{
		"AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=" + sig,
		"AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request,SignedHeaders=host;x-amz-date,Signature=" + sig,
		"AWS4-HMAC-SHA256 Signature=" + sig + ", SignedHeaders=host;x-amz-date, Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request",
	} {
		got, err := ParseAuthorization(in)
		if err != nil {
			t.Errorf("%q: %v", in, err)
			continue
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%q (-want +got):\n%s", in, diff)
		}
	}
	if got := want.String(); got != "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature="+sig {
		t.Errorf("String() = %q", got)
	}
	if got := want.Scope(); got != "20150830/us-east-1/service/aws4_request" {
		t.Errorf("Scope() = %q", got)
	}
}

func TestParseAuthorizationErrors(t *testing.T) {
	const sig = "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"
	const cred = "Credential=AKID/20150830/us-east-1/service/aws4_request"
	for _, c := range []struct{ in, want string }{
		{"", `does not start with "AWS4-HMAC-SHA256 "`},
		{"Bearer abc", `does not start with "AWS4-HMAC-SHA256 "`},
		{"AWS4-HMAC-SHA256 " + cred + ", SignedHeaders=host", "missing Signature"},
		{"AWS4-HMAC-SHA256 " + cred + ", Signature=" + sig, "missing SignedHeaders"},
		{"AWS4-HMAC-SHA256 SignedHeaders=host, Signature=" + sig, "missing Credential"},
		{"AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/service, SignedHeaders=host, Signature=" + sig, "malformed Credential"},
		{"AWS4-HMAC-SHA256 Credential=AKID/2015-08-30/us-east-1/service/aws4_request, SignedHeaders=host, Signature=" + sig, "malformed date"},
		{"AWS4-HMAC-SHA256 " + cred + ", SignedHeaders=Host, Signature=" + sig, "must be lower-case"},
		{"AWS4-HMAC-SHA256 " + cred + ", SignedHeaders=host;;x, Signature=" + sig, "must be lower-case and non-empty"},
		{"AWS4-HMAC-SHA256 " + cred + ", SignedHeaders=host, Signature=" + strings.ToUpper(sig), "64 lower-case hex"},
		{"AWS4-HMAC-SHA256 " + cred + ", SignedHeaders=host, Signature=abc", "64 lower-case hex"},
		{"AWS4-HMAC-SHA256 " + cred + ", " + cred + ", SignedHeaders=host, Signature=" + sig, "duplicate Credential"},
		{"AWS4-HMAC-SHA256 " + cred + ", SignedHeaders=host, Signature=" + sig + ", Extra=1", `unknown component "Extra"`},
		{"AWS4-HMAC-SHA256 " + cred + ", SignedHeaders host, Signature=" + sig, "malformed component"},
	} {
		_, err := ParseAuthorization(c.in)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: err = %v, want it to contain %q", c.in, err, c.want)
		}
		if _, err := SignatureFromAuthorization(c.in); err == nil {
			t.Errorf("SignatureFromAuthorization(%q) succeeded", c.in)
		}
	}
}

func TestMaskSignature(t *testing.T) {
	const in = "AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/s/aws4_request, SignedHeaders=host, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"
	want := "AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/s/aws4_request, SignedHeaders=host, Signature=5fa00fa3…"
	if got := MaskSignature(in); got != want {
		t.Errorf("MaskSignature = %q, want %q", got, want)
	}
	if got := MaskSignature("Bearer x"); got != "Bearer x" {
		t.Errorf("MaskSignature(no signature) = %q", got)
	}
}
