package sigv4

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Query parameters of a presigned URL.
const (
	QueryAlgorithm     = "X-Amz-Algorithm"
	QueryCredential    = "X-Amz-Credential"
	QueryDate          = "X-Amz-Date"
	QueryExpires       = "X-Amz-Expires"
	QuerySignedHeaders = "X-Amz-SignedHeaders"
	QuerySecurityToken = "X-Amz-Security-Token"
	QuerySignature     = "X-Amz-Signature"
)

// Limits of X-Amz-Expires.
const (
	MinPresignExpiry = time.Second
	MaxPresignExpiry = 7 * 24 * time.Hour
)

// Presign returns a URL that authenticates req through its query string
// (X-Amz-Algorithm, X-Amz-Credential, X-Amz-Date, X-Amz-Expires,
// X-Amz-SignedHeaders, X-Amz-Security-Token with session credentials, and
// X-Amz-Signature), valid for expires (1 s to 7 days, whole seconds) from t.
// The returned header holds the request headers that were signed and must be
// sent with the URL (host excepted), X-Amz-Content-Sha256 among them when
// [Signer.ContentSHA256Header] is set. req is not changed.
//
// payloadHash is as for [Signer.SignHTTP]; S3 presigned URLs use
// [UnsignedPayload], other services the hash of the (usually empty) body.
// Existing X-Amz-* authentication parameters in the query are replaced.
func (sg *Signer) Presign(req *http.Request, creds Credentials, region, service string, t time.Time, expires time.Duration, payloadHash string) (signedURL string, header http.Header, err error) {
	st, h, err := sg.PresignSteps(req, creds, region, service, t, expires, payloadHash)
	return st.URL, h, err
}

// PresignSteps is [Signer.Presign] returning every step; Steps.URL is the
// presigned URL and Steps.Authorization is empty.
func (sg *Signer) PresignSteps(req *http.Request, creds Credentials, region, service string, t time.Time, expires time.Duration, payloadHash string) (Steps, http.Header, error) {
	if expires < MinPresignExpiry || expires > MaxPresignExpiry {
		return Steps{}, nil, fmt.Errorf("sigv4: presign: expiry %v out of range [1s, 168h]", expires)
	}
	if err := checkScope(&creds, region, service); err != nil {
		return Steps{}, nil, err
	}
	var in canonInput
	if err := sg.clientInput(&in, req, &payloadHash); err != nil {
		return Steps{}, nil, err
	}
	in.rawQuery = stripAuthQuery(in.rawQuery)
	if sg.ContentSHA256Header {
		// Signed as a header that must accompany the URL, as the SDKs do
		// when asked to sign the body of a presigned request.
		in.added = []addedHeader{{lname: "x-amz-content-sha256", value: payloadHash, verbatim: true}}
	}

	// The signed header list is itself a query parameter: find it first.
	s := getScratch()
	defer putScratch(s)
	if err := collectHeaders(s, &in); err != nil {
		return Steps{}, nil, err
	}
	header := make(http.Header)
	for _, h := range s.hdrs {
		if h.key != "" {
			header[h.key] = append([]string(nil), h.vals...)
		}
	}
	if sg.ContentSHA256Header {
		header[HeaderContentSHA256] = []string{payloadHash}
	}
	signedHeaders := string(appendSignedHeaders(nil, s))
	s.hdrs, s.names, s.order = s.hdrs[:0], s.names[:0], s.order[:0]

	at := newAmzTime(t)
	amzDate := string(at[:])
	scope := string(appendScope(nil, &at, region, service))
	extra := []addedHeader{
		{lname: QueryAlgorithm, value: Algorithm},
		{lname: QueryCredential, value: creds.AccessKeyID + "/" + scope},
		{lname: QueryDate, value: amzDate},
		{lname: QueryExpires, value: strconv.FormatInt(int64(expires/time.Second), 10)},
		{lname: QuerySignedHeaders, value: signedHeaders},
	}
	if creds.SessionToken != "" {
		extra = append(extra, addedHeader{lname: QuerySecurityToken, value: creds.SessionToken})
	}
	in.extraQuery = extra
	r, err := sg.sign(s, &in, &creds, region, service, t)
	if err != nil {
		return Steps{}, nil, err
	}
	st := r.steps(s)

	// The URL carries the canonical query (sorted, encoded) and the
	// signature.
	cr := st.CanonicalRequest
	_, rest, _ := strings.Cut(cr, "\n")
	_, rest, _ = strings.Cut(rest, "\n")
	query, _, _ := strings.Cut(rest, "\n")
	scheme := req.URL.Scheme
	if scheme == "" {
		scheme = "https"
	}
	host := req.URL.Host
	if host == "" {
		host = req.Host
	}
	path := wirePath(req.URL)
	if path == "" {
		path = "/"
	}
	st.URL = scheme + "://" + host + path + "?" + query + "&" + QuerySignature + "=" + st.Signature
	return st, header, nil
}

// stripAuthQuery removes the X-Amz-* authentication parameters from a raw
// query.
func stripAuthQuery(q string) string {
	if !strings.Contains(q, "X-Amz-") {
		return q
	}
	var out []string
	for _, part := range strings.Split(q, "&") {
		k, _, _ := strings.Cut(part, "=")
		switch k {
		case QueryAlgorithm, QueryCredential, QueryDate, QueryExpires,
			QuerySignedHeaders, QuerySecurityToken, QuerySignature:
			continue
		}
		out = append(out, part)
	}
	return strings.Join(out, "&")
}

var errNotPresigned = errors.New("sigv4: not a presigned request")
