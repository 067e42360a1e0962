package sigv4_test

import (
	"context"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/bedrockwire/bedrockwire/sigv4"
)

// Sign a Converse request. The model ID's ':' travels as %3A (set
// URL.RawPath) and is signed as %253A.
func ExampleSigner_SignHTTP() {
	body := []byte(`{"messages":[{"role":"user","content":[{"text":"Hello"}]}]}`)
	req, _ := http.NewRequest(http.MethodPost,
		"https://bedrock-runtime.us-east-1.amazonaws.com/model/amazon.nova-pro-v1:0/converse",
		strings.NewReader(string(body)))
	req.URL.RawPath = "/model/amazon.nova-pro-v1%3A0/converse"
	req.Header.Set("Content-Type", "application/json")

	var signer sigv4.Signer // keep one: it caches signing keys
	creds := sigv4.Credentials{AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"}
	at := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	if err := signer.SignHTTP(req, creds, "us-east-1", "bedrock", at, sigv4.HashHex(body)); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(req.URL.RequestURI())
	fmt.Println(req.Header.Get("X-Amz-Date"))
	fmt.Println(req.Header.Get("Authorization"))
	// Output:
	// /model/amazon.nova-pro-v1%3A0/converse
	// 20260101T120000Z
	// AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/us-east-1/bedrock/aws4_request, SignedHeaders=content-length;content-type;host;x-amz-date, Signature=d4252fda49ead77fa5a6ffcd35a3834cf6993e24f7642ab6e3e12473ed9ea835
}

// Every step of a signature, for tests and for debugging a
// SignatureDoesNotMatch.
func ExampleSigner_Steps() {
	req, _ := http.NewRequest(http.MethodGet, "https://example.amazonaws.com/?Param2=value2&Param1=value1", nil)
	creds := sigv4.Credentials{AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"}
	st, err := new(sigv4.Signer).Steps(req, creds, "us-east-1", "service", time.Date(2015, 8, 30, 12, 36, 0, 0, time.UTC), sigv4.EmptyPayloadHash)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%s\n\n%s\n\n%s\n", st.CanonicalRequest, st.StringToSign, st.Signature)
	// Output:
	// GET
	// /
	// Param1=value1&Param2=value2
	// host:example.amazonaws.com
	// x-amz-date:20150830T123600Z
	//
	// host;x-amz-date
	// e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
	//
	// AWS4-HMAC-SHA256
	// 20150830T123600Z
	// 20150830/us-east-1/service/aws4_request
	// 816cd5b414d056048ba4f7c5386d6e0533120fb1fcfa93762cf0fc39e2cf19e0
	//
	// b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500
}

// A presigned URL (here the S3 documentation's example).
func ExampleSigner_Presign() {
	req, _ := http.NewRequest(http.MethodGet, "https://examplebucket.s3.amazonaws.com/test.txt", nil)
	creds := sigv4.Credentials{AccessKeyID: "AKIAIOSFODNN7EXAMPLE", SecretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"}
	s3 := &sigv4.Signer{SingleEncode: true}
	u, _, err := s3.Presign(req, creds, "us-east-1", "s3", time.Date(2013, 5, 24, 0, 0, 0, 0, time.UTC), 24*time.Hour, sigv4.UnsignedPayload)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(u)
	// Output:
	// https://examplebucket.s3.amazonaws.com/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404
}

// The signature chain of an event stream: the request's signature seeds
// it, each frame's signature is the next seed.
func ExampleSigner_SignEventChunk() {
	var signer sigv4.Signer
	creds := sigv4.Credentials{AccessKeyID: "AKID", SecretAccessKey: "SECRET"}
	prev := []byte("foobarbazqux") // normally SignatureFromAuthorization(req.Header.Get("Authorization"))
	for i, frame := range []string{"foo", "bar", "baz"} {
		at := time.Unix(int64(10*(i+1)), 0)
		sig, err := signer.SignEventChunk(creds, "us-east-1", "transcribestreaming", at, prev, []byte(frame), []byte(frame))
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(hex.EncodeToString(sig))
		prev = sig
	}
	// Output:
	// e3a136405ec1152f62136742efd41f8639cd647a1cf21fab12aedb22cccd8999
	// 92a6ad677e839d3003672cb2cefc71ef80d42e8cb300fefce0807e8398c74068
	// 46d6660bd40f2ff5d6246a347895cabe7f4e89d9e1f4c6dad6dabdc801923be1
}

// A server checking signatures, as the emulator in client/bedrocktest does.
func ExampleVerifier() {
	creds := sigv4.Credentials{AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: "secret"}
	at := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	v := &sigv4.Verifier{
		Region: "us-east-1", Service: "bedrock",
		Credentials: func(id string) (sigv4.Credentials, bool) { return creds, id == creds.AccessKeyID },
		Now:         func() time.Time { return at },
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if _, err := v.VerifyHTTP(r, sigv4.HashHex(body)); err != nil {
			var ve *sigv4.VerifyError
			if errorsAs(err, &ve) {
				w.Header().Set("X-Amzn-Errortype", ve.Code)
			}
			w.WriteHeader(http.StatusForbidden)
			return
		}
		fmt.Fprint(w, "signature ok")
	}))
	defer srv.Close()

	var signer sigv4.Signer
	for _, secret := range []string{"secret", "wrong"} {
		req, _ := http.NewRequest(http.MethodPost, srv.URL+"/model/amazon.nova-pro-v1%3A0/converse", strings.NewReader("{}"))
		signer.SignHTTP(req, sigv4.Credentials{AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: secret}, "us-east-1", "bedrock", at, sigv4.HashHex([]byte("{}")))
		resp, err := srv.Client().Do(req)
		if err != nil {
			fmt.Println(err)
			return
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		fmt.Println(resp.StatusCode, resp.Header.Get("X-Amzn-Errortype"), string(b))
	}
	// Output:
	// 200  signature ok
	// 403 InvalidSignatureException
}

// Credentials that refresh themselves shortly before they expire.
func ExampleNewCachingProvider() {
	calls := 0
	source := sigv4.CredentialsProviderFunc(func(context.Context) (sigv4.Credentials, error) {
		calls++
		return sigv4.Credentials{AccessKeyID: "ASIAEXAMPLE", SecretAccessKey: "secret", SessionToken: "token",
			Expires: time.Now().Add(time.Hour)}, nil
	})
	p := sigv4.NewCachingProvider(source)
	for i := 0; i < 3; i++ {
		creds, err := p.Retrieve(context.Background())
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(creds.AccessKeyID)
	}
	fmt.Println("fetched", calls, "time(s)")
	// Output:
	// ASIAEXAMPLE
	// ASIAEXAMPLE
	// ASIAEXAMPLE
	// fetched 1 time(s)
}
