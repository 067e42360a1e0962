package sigv4

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestPresignContentSHA256Header: with ContentSHA256Header, a presigned
// request signs x-amz-content-sha256 (the body's hash) as a header and
// returns it among the headers to send, as the v4 suite's
// post-x-www-form-urlencoded cases do; without it the header is neither
// signed nor returned. The presigned request verifies when it is sent with
// those headers, and not without the content hash.
func TestPresignContentSHA256Header(t *testing.T) {
	body := "Param1=value1"
	newReq := func() *http.Request {
		req, err := http.NewRequest(http.MethodPost, "https://example.amazonaws.com/", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		return req
	}
	for _, on := range []bool{false, true} {
		s := &Signer{ContentSHA256Header: on}
		st, hdr, err := s.PresignSteps(newReq(), suiteCreds, "us-east-1", "service", suiteTime, time.Hour, "")
		if err != nil {
			t.Fatal(err)
		}
		wantSigned, wantH := "content-length;content-type;host", http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}
		if on {
			wantSigned += ";x-amz-content-sha256"
			wantH[HeaderContentSHA256] = []string{HashHex([]byte(body))}
		}
		if diff := cmp.Diff(wantSigned, st.SignedHeaders); diff != "" {
			t.Errorf("ContentSHA256Header=%v: signed headers (-want +got):\n%s", on, diff)
		}
		if diff := cmp.Diff(wantH, hdr); diff != "" {
			t.Errorf("ContentSHA256Header=%v: headers to send (-want +got):\n%s", on, diff)
		}
		if !on {
			continue
		}
		u, err := url.Parse(st.URL)
		if err != nil {
			t.Fatal(err)
		}
		v := &Verifier{
			Region: "us-east-1", Service: "service",
			Credentials: func(string) (Credentials, bool) { return suiteCreds, true },
			Now:         func() time.Time { return suiteTime.Add(time.Minute) },
		}
		for _, send := range []bool{true, false} {
			req := newReq()
			req.URL = u
			req.RequestURI = u.RequestURI()
			req.ContentLength = int64(len(body))
			if send {
				req.Header[HeaderContentSHA256] = hdr[HeaderContentSHA256]
			}
			_, err := v.VerifyPresigned(req, "")
			if send && err != nil {
				t.Errorf("presigned request sent with its headers: %v", err)
			}
			if !send && err == nil {
				t.Error("presigned request verified without its X-Amz-Content-Sha256 header")
			}
		}
	}
}
