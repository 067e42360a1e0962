package sigv4

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"time"
	"unsafe"
)

// Signer signs HTTP requests with AWS Signature Version 4.
//
// The zero value is ready to use and signs as the AWS SDKs do for every
// service but S3. A Signer is safe for concurrent use; it caches the derived
// signing keys per (access key, date, region, service), so keep one Signer
// and reuse it. Copies made after first use share that cache.
type Signer struct {
	// NormalizePath removes "." and ".." segments and empty segments from
	// the path before it is escaped. The AWS SDKs leave it off for Bedrock
	// (and S3); the SigV4 test suite cases that normalise need it on.
	NormalizePath bool
	// SingleEncode signs the wire path as it is instead of escaping it once
	// more: S3's rule. Off for Bedrock.
	SingleEncode bool
	// ContentSHA256Header makes SignHTTP also send, and sign, the
	// X-Amz-Content-Sha256 header carrying the payload hash (S3, and the
	// event-stream request of InvokeModelWithBidirectionalStream); Presign
	// then signs it too and returns it among the headers to send.
	ContentSHA256Header bool

	cache unsafe.Pointer // *keyCache, created on first use (atomically)
}

// keys returns the signer's key cache, creating it on first use. The cache
// sits behind a pointer so that a Signer (and a Verifier holding one) can be
// copied freely.
func (sg *Signer) keys() *keyCache {
	if p := atomic.LoadPointer(&sg.cache); p != nil {
		return (*keyCache)(p)
	}
	c := new(keyCache)
	if atomic.CompareAndSwapPointer(&sg.cache, nil, unsafe.Pointer(c)) {
		return c
	}
	return (*keyCache)(atomic.LoadPointer(&sg.cache))
}

// Steps are the intermediate results of one signature, for tests and for
// debugging a SignatureDoesNotMatch against what AWS says it expected.
type Steps struct {
	CanonicalRequest string
	StringToSign     string
	Signature        string // 64 lower-case hex digits
	// Authorization is the Authorization header value; empty for a
	// presigned URL.
	Authorization string
	SignedHeaders string // "content-type;host;x-amz-date"
	Scope         string // "20150830/us-east-1/bedrock/aws4_request"
	AmzDate       string // "20150830T123600Z"
	// URL is the presigned URL; empty for header signing.
	URL string
}

// Header names the signer adds.
const (
	HeaderAuthorization = "Authorization"
	HeaderDate          = "X-Amz-Date"
	HeaderSecurityToken = "X-Amz-Security-Token"
	HeaderContentSHA256 = "X-Amz-Content-Sha256"
)

// TimeFormat is the layout of X-Amz-Date; DateFormat that of the scope date.
const (
	TimeFormat = "20060102T150405Z"
	DateFormat = "20060102"
)

// ErrMissingCredentials is returned when the access key ID or the secret is
// empty.
var ErrMissingCredentials = errors.New("sigv4: missing credentials: access key ID and secret access key are required")

// SignHTTP signs req in place: it sets X-Amz-Date, X-Amz-Security-Token when
// creds carry a session token, X-Amz-Content-Sha256 when
// [Signer.ContentSHA256Header] is set, and Authorization, replacing any
// previous values of those headers.
//
// payloadHash is the hex SHA-256 of the body ([HashHex]),
// [UnsignedPayload], [StreamingEventsPayload] or [EmptyPayloadHash]. When it
// is empty SignHTTP hashes the body itself, through req.GetBody when set,
// else by reading req.Body and replacing it with an in-memory copy.
//
// Every header of req is signed except the never-signed set (see the package
// doc), and content-length when req.ContentLength is positive (net/http
// sends it from that field, not from the header map), as the AWS SDKs do;
// the path is signed as net/http will send it.
func (sg *Signer) SignHTTP(req *http.Request, creds Credentials, region, service string, t time.Time, payloadHash string) error {
	var in canonInput
	if err := sg.clientInput(&in, req, &payloadHash); err != nil {
		return err
	}
	s := getScratch()
	defer putScratch(s)
	in.added = sg.addedHeaders(s.added[:0], s, &creds, payloadHash)
	r, err := sg.sign(s, &in, &creds, region, service, t)
	if err != nil {
		return err
	}
	// One string holds the date and the Authorization value; one slice the
	// header values (date, authorization, then token and content hash).
	b := s.buf[len(s.buf):]
	b = append(b, s.date[:]...)
	b = sg.appendAuthorization(b, s, &r, &creds)
	both := string(b)
	vals := make([]string, 1+len(in.added))
	vals[0], vals[1] = both[:16], both[16:]
	h := req.Header
	if h == nil {
		h = make(http.Header)
		req.Header = h
	}
	if s.foldedAuthHeader {
		deleteFold(h, HeaderDate)
		deleteFold(h, HeaderAuthorization)
		deleteFold(h, HeaderSecurityToken)
		deleteFold(h, HeaderContentSHA256)
	}
	h[HeaderDate] = vals[0:1:1]
	h[HeaderAuthorization] = vals[1:2:2]
	i := 2
	if creds.SessionToken != "" {
		vals[i] = creds.SessionToken
		h[HeaderSecurityToken] = vals[i : i+1 : i+1]
		i++
	}
	if sg.ContentSHA256Header {
		vals[i] = payloadHash
		h[HeaderContentSHA256] = vals[i : i+1 : i+1]
	}
	return nil
}

// Steps computes the signature SignHTTP would add to req, without changing
// req, and returns every step.
func (sg *Signer) Steps(req *http.Request, creds Credentials, region, service string, t time.Time, payloadHash string) (Steps, error) {
	var in canonInput
	if err := sg.clientInput(&in, req, &payloadHash); err != nil {
		return Steps{}, err
	}
	s := getScratch()
	defer putScratch(s)
	in.added = sg.addedHeaders(s.added[:0], s, &creds, payloadHash)
	r, err := sg.sign(s, &in, &creds, region, service, t)
	if err != nil {
		return Steps{}, err
	}
	st := r.steps(s)
	st.Authorization = string(sg.appendAuthorization(nil, s, &r, &creds))
	return st, nil
}

// addedHeaders lists the headers the signer adds for header signing.
// The x-amz-date value is a view of s.date, which sign fills in, and is
// valid while s is held. The date and the payload hash (which sign checks
// before use) go into the canonical request verbatim, and so does a
// session token once it has been seen to hold no blank or control
// character.
func (sg *Signer) addedHeaders(dst []addedHeader, s *scratch, creds *Credentials, payloadHash string) []addedHeader {
	dst = append(dst, addedHeader{lname: "x-amz-date", value: unsafeString(s.date[:]), verbatim: true})
	if tok := creds.SessionToken; tok != "" {
		dst = append(dst, addedHeader{lname: "x-amz-security-token", value: tok, verbatim: sg.keys().verbatimToken(tok)})
	}
	if sg.ContentSHA256Header {
		dst = append(dst, addedHeader{lname: "x-amz-content-sha256", value: payloadHash, verbatim: true})
	}
	return dst
}

// clientInput validates what a client-side signature needs and describes
// req for the canonicaliser.
func (sg *Signer) clientInput(in *canonInput, req *http.Request, payloadHash *string) error {
	if req == nil || req.URL == nil {
		return errors.New("sigv4: nil request or URL")
	}
	if strings.IndexByte(req.URL.Opaque, '?') >= 0 {
		return errors.New("sigv4: URL.Opaque contains '?': the server would read a different path")
	}
	host := req.Host
	if host == "" {
		host = req.URL.Host
	}
	host = stripDefaultPort(host, req.URL.Scheme)
	if host == "" {
		return ErrNoHost
	}
	if *payloadHash == "" {
		h, err := bodyHash(req)
		if err != nil {
			return err
		}
		*payloadHash = h
	}
	method := req.Method
	if method == "" {
		method = http.MethodGet
	}
	*in = canonInput{
		method:        method,
		path:          wirePath(req.URL),
		rawQuery:      req.URL.RawQuery,
		host:          host,
		header:        req.Header,
		payloadHash:   *payloadHash,
		contentLength: req.ContentLength,
	}
	return nil
}

// signResult locates the steps inside the scratch buffer.
type signResult struct {
	crEnd          int // canonical request is buf[:crEnd]
	shStart, shEnd int // signed headers inside the canonical request
	stsStart       int // string to sign is buf[stsStart:]
	scopeStart     int // scope inside the string to sign
	scopeEnd       int
	sig            [sha256.Size]byte
}

func (r *signResult) steps(s *scratch) Steps {
	var hexSig [64]byte
	appendHex(hexSig[:0], r.sig[:])
	return Steps{
		CanonicalRequest: string(s.buf[:r.crEnd]),
		StringToSign:     string(s.buf[r.stsStart:]),
		Signature:        string(hexSig[:]),
		SignedHeaders:    string(s.buf[r.shStart:r.shEnd]),
		Scope:            string(s.buf[r.scopeStart:r.scopeEnd]),
		AmzDate:          string(s.buf[r.stsStart+len(Algorithm)+1 : r.stsStart+len(Algorithm)+17]),
	}
}

// sign builds the canonical request and the string to sign in s.buf and
// computes the signature.
func (sg *Signer) sign(s *scratch, in *canonInput, creds *Credentials, region, service string, t time.Time) (signResult, error) {
	var r signResult
	if err := checkScope(creds, region, service); err != nil {
		return r, err
	}
	if !validMethod(in.method) {
		return r, fmt.Errorf("sigv4: invalid method %q", in.method)
	}
	if !validPayloadHash(in.payloadHash) {
		return r, fmt.Errorf("sigv4: invalid payload hash %q", in.payloadHash)
	}
	s.date = newAmzTime(t)
	key, err := sg.signingKey(creds, &s.date, region, service)
	if err != nil {
		return r, err
	}
	shStart, shEnd, err := sg.buildCanonical(s, in)
	if err != nil {
		return r, err
	}
	r.crEnd, r.shStart, r.shEnd = len(s.buf), shStart, shEnd
	crHash := sha256.Sum256(s.buf)

	// Reserve one block for the HMAC pad, then the string to sign.
	b := append(s.buf, make([]byte, sha256.BlockSize)...)
	r.stsStart = len(b)
	b = append(b, Algorithm...)
	b = append(b, '\n')
	b = append(b, s.date[:]...)
	b = append(b, '\n')
	r.scopeStart = len(b)
	b = appendScope(b, &s.date, region, service)
	r.scopeEnd = len(b)
	b = append(b, '\n')
	b = appendHex(b, crHash[:])
	s.buf = b

	r.sig = key.sum(&s.hash, b[r.stsStart-sha256.BlockSize:])
	return r, nil
}

// appendAuthorization appends the Authorization header value of r.
func (sg *Signer) appendAuthorization(dst []byte, s *scratch, r *signResult, creds *Credentials) []byte {
	dst = append(dst, Algorithm+" Credential="...)
	dst = append(dst, creds.AccessKeyID...)
	dst = append(dst, '/')
	dst = append(dst, s.buf[r.scopeStart:r.scopeEnd]...)
	dst = append(dst, ", SignedHeaders="...)
	dst = append(dst, s.buf[r.shStart:r.shEnd]...)
	dst = append(dst, ", Signature="...)
	return appendHex(dst, r.sig[:])
}

// signingKey returns the derived key for the scope, from the cache when it
// is there; a scope with invalid characters is an error.
func (sg *Signer) signingKey(creds *Credentials, a *amzTime, region, service string) (*hmacKey, error) {
	id := keyID{accessKeyID: creds.AccessKeyID, region: region, service: service}
	copy(id.date[:], a[:8])
	return sg.keys().get(creds.SecretAccessKey, &id)
}

// checkScope checks that there are keys, a region and a service. The
// characters of the scope are checked by [validScope] when the signing key
// for it is derived, so that a cached key skips the scan.
func checkScope(creds *Credentials, region, service string) error {
	if !creds.HasKeys() {
		return ErrMissingCredentials
	}
	if region == "" {
		return errors.New("sigv4: empty region")
	}
	if service == "" {
		return errors.New("sigv4: empty service")
	}
	return nil
}

// validScope checks that the access key ID, region and service can stand
// in a credential scope.
func validScope(id *keyID) error {
	if !validScopePart(id.accessKeyID) {
		return fmt.Errorf("sigv4: invalid character in access key ID %q", id.accessKeyID)
	}
	if !validScopePart(id.region) {
		return fmt.Errorf("sigv4: invalid character in region %q", id.region)
	}
	if !validScopePart(id.service) {
		return fmt.Errorf("sigv4: invalid character in service %q", id.service)
	}
	return nil
}

// validScopePart reports whether s can stand in a credential scope: no
// control characters, blanks, or the separators '/', ',', '=', ';'.
func validScopePart(s string) bool {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c <= ' ', c == 0x7f, c == '/', c == ',', c == '=', c == ';':
			return false
		}
	}
	return true
}

// validMethod reports whether m is an HTTP token.
func validMethod(m string) bool {
	if m == "" {
		return false
	}
	for i := 0; i < len(m); i++ {
		c := m[i]
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' ||
			strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0) {
			return false
		}
	}
	return true
}

// amzTime is a signing time formatted as YYYYMMDDTHHMMSSZ (UTC); its first
// 8 bytes are the scope date.
type amzTime [16]byte

// newAmzTime formats t. Years outside 0..9999 are clamped so that the layout
// stays fixed.
func newAmzTime(t time.Time) amzTime {
	t = t.UTC()
	y, m, d := t.Date()
	hh, mm, ss := t.Clock()
	y = min(max(y, 0), 9999)
	return amzTime{byte('0' + y/1000), byte('0' + y/100%10), byte('0' + y/10%10), byte('0' + y%10),
		byte('0' + int(m)/10), byte('0' + int(m)%10), byte('0' + d/10), byte('0' + d%10),
		'T', byte('0' + hh/10), byte('0' + hh%10), byte('0' + mm/10), byte('0' + mm%10),
		byte('0' + ss/10), byte('0' + ss%10), 'Z'}
}

// appendAmzDate appends t in UTC as YYYYMMDDTHHMMSSZ.
func appendAmzDate(dst []byte, t time.Time) []byte {
	a := newAmzTime(t)
	return append(dst, a[:]...)
}

// appendScope appends date/region/service/aws4_request.
func appendScope(dst []byte, a *amzTime, region, service string) []byte {
	dst = append(dst, a[:8]...)
	dst = append(dst, '/')
	dst = append(dst, region...)
	dst = append(dst, '/')
	dst = append(dst, service...)
	return append(dst, "/aws4_request"...)
}

// stripDefaultPort drops ":443" for https and ":80" for http (and a bare
// trailing colon). A colon inside IPv6 brackets ends in "]", never in one of
// these suffixes.
func stripDefaultPort(host, scheme string) string {
	switch {
	case strings.HasSuffix(host, ":"):
		return host[:len(host)-1]
	case strings.HasSuffix(host, ":443") && strings.EqualFold(scheme, "https"):
		return host[:len(host)-4]
	case strings.HasSuffix(host, ":80") && strings.EqualFold(scheme, "http"):
		return host[:len(host)-3]
	}
	return host
}

// deleteFold removes every key of h equal to name ignoring case.
func deleteFold(h http.Header, name string) {
	for k := range h {
		if strings.EqualFold(k, name) {
			delete(h, k)
		}
	}
}

// bodyHash hashes the request body, leaving it readable.
func bodyHash(req *http.Request) (string, error) {
	if req.Body == nil || req.Body == http.NoBody {
		return EmptyPayloadHash, nil
	}
	var r io.ReadCloser
	if req.GetBody != nil {
		var err error
		if r, err = req.GetBody(); err != nil {
			return "", fmt.Errorf("sigv4: reading body for payload hash: %w", err)
		}
		defer r.Close()
		h := sha256.New()
		if _, err := io.Copy(h, r); err != nil {
			return "", fmt.Errorf("sigv4: reading body for payload hash: %w", err)
		}
		return hex.EncodeToString(h.Sum(nil)), nil
	}
	body, err := io.ReadAll(req.Body)
	req.Body.Close()
	req.Body = io.NopCloser(bytes.NewReader(body))
	req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
	if err != nil {
		return "", fmt.Errorf("sigv4: reading body for payload hash: %w", err)
	}
	return HashHex(body), nil
}
