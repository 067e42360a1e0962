package sigv4

import (
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"testing"
	"time"
)

// TestManyHeadersAndQueryPairs covers the sort.Sort path taken past 24
// headers or query pairs: the canonical request lists them in byte order
// whatever order they were added in.
func TestManyHeadersAndQueryPairs(t *testing.T) {
	build := func(reverse bool) *http.Request {
		req, _ := http.NewRequest("GET", "https://bedrock.us-east-1.amazonaws.com/x", nil)
		q := url.Values{}
		var names []string
		for i := 0; i < 30; i++ {
			names = append(names, fmt.Sprintf("x-amz-meta-h%02d", (i*7)%30))
		}
		if reverse {
			sort.Sort(sort.Reverse(sort.StringSlice(names)))
		}
		for _, n := range names {
			req.Header.Set(n, "v"+n[len(n)-2:])
			q.Add("k"+n[len(n)-2:], "v")
			q.Add("k"+n[len(n)-2:], "a")
		}
		req.URL.RawQuery = q.Encode()
		return req
	}
	creds := Credentials{AccessKeyID: "AKID", SecretAccessKey: "SECRET"}
	at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	var sg Signer
	a, err := sg.Steps(build(false), creds, "us-east-1", "bedrock", at, EmptyPayloadHash)
	if err != nil {
		t.Fatal(err)
	}
	b, err := sg.Steps(build(true), creds, "us-east-1", "bedrock", at, EmptyPayloadHash)
	if err != nil {
		t.Fatal(err)
	}
	if a.CanonicalRequest != b.CanonicalRequest || a.Signature != b.Signature {
		t.Fatalf("order changed the signature:\n%s\n---\n%s", a.CanonicalRequest, b.CanonicalRequest)
	}
	lines := strings.Split(a.CanonicalRequest, "\n")
	query := strings.Split(lines[2], "&")
	if len(query) != 60 || !sort.StringsAreSorted(query) || query[0] != "k00=a" || query[1] != "k00=v" {
		t.Errorf("query not sorted by key then value: %v", query[:4])
	}
	var hdrs []string
	for _, l := range lines[3:] {
		if l == "" {
			break
		}
		hdrs = append(hdrs, l[:strings.IndexByte(l, ':')])
	}
	if len(hdrs) != 32 || !sort.StringsAreSorted(hdrs) { // 30 + host + x-amz-date
		t.Errorf("headers not sorted: %v", hdrs)
	}
}
