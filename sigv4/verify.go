package sigv4

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// AWS error codes a server answers authentication failures with; they are
// the Code of a [*VerifyError].
const (
	// CodeMissingAuthenticationToken: no Authorization header and no
	// presigned query.
	CodeMissingAuthenticationToken = "MissingAuthenticationTokenException"
	// CodeIncompleteSignature: a malformed Authorization header or query,
	// or a missing X-Amz-Date.
	CodeIncompleteSignature = "IncompleteSignatureException"
	// CodeUnrecognizedClient: unknown access key ID or wrong session token.
	CodeUnrecognizedClient = "UnrecognizedClientException"
	// CodeInvalidSignature: the signature does not match, or the request
	// is outside its time window, or the scope names another region or
	// service.
	CodeInvalidSignature = "InvalidSignatureException"
)

// VerifyError is why a server refuses a request's signature.
type VerifyError struct {
	Code    string // one of the Code* constants
	Message string // the message AWS would send
	// Steps is what the server computed, set when the signature did not
	// match: compare with the client's steps to find the difference.
	Steps Steps
}

// Error returns "Code: Message".
func (e *VerifyError) Error() string { return e.Code + ": " + e.Message }

func verifyErr(code, format string, args ...any) *VerifyError {
	return &VerifyError{Code: code, Message: fmt.Sprintf(format, args...)}
}

// DefaultMaxSkew is how far the signing time may be from the server's clock.
const DefaultMaxSkew = 15 * time.Minute

// Verifier checks SigV4 signatures on the server side of a request: it is
// what the Bedrock emulator in client/bedrocktest uses. Configure it once;
// it is safe for concurrent use.
//
// Usage in a handler:
//
//	body, _ := io.ReadAll(r.Body)
//	auth, err := v.VerifyHTTP(r, sigv4.HashHex(body))
//	var ve *sigv4.VerifyError
//	if errors.As(err, &ve) {
//		// 403 (400 for IncompleteSignature), x-amzn-ErrorType: ve.Code,
//		// body {"message": ve.Message}
//	}
//
// For a bidirectional stream pass [StreamingEventsPayload] (the client
// sends that literal in X-Amz-Content-Sha256); auth.Signature, hex-decoded,
// seeds the chain that the frames' :chunk-signature values continue
// ([Signer.SignEventChunk] recomputes each).
type Verifier struct {
	// Region and Service the credential scope must name, e.g. "us-east-1"
	// and "bedrock". Empty accepts any.
	Region, Service string
	// Credentials finds the credentials of an access key ID. When the
	// returned credentials carry a session token the request must present
	// the same X-Amz-Security-Token.
	Credentials func(accessKeyID string) (Credentials, bool)
	// Now is the server clock; nil means time.Now.
	Now func() time.Time
	// MaxSkew bounds |Now - signing time| for header signatures; zero
	// means DefaultMaxSkew, negative disables the check.
	MaxSkew time.Duration
	// Signer holds the canonicalisation options (NormalizePath,
	// SingleEncode), which must match the clients', and the key cache.
	Signer Signer
}

func (v *Verifier) now() time.Time {
	if v.Now != nil {
		return v.Now()
	}
	return time.Now()
}

// VerifyHTTP checks the Authorization header of a received request.
//
// payloadHash is the hex SHA-256 of the body the server received, or
// [UnsignedPayload] or [StreamingEventsPayload] when the request is allowed
// to use those; empty means: the X-Amz-Content-Sha256 header when present,
// else the hash of the body, which VerifyHTTP then reads and replaces with
// an in-memory copy. When the request carries X-Amz-Content-Sha256 and
// payloadHash is a hash, the two must agree.
//
// The signature is recomputed over exactly the headers named in the
// Authorization header; host comes from req.Host (without the scheme's
// default port) and the path from req.RequestURI as received.
func (v *Verifier) VerifyHTTP(req *http.Request, payloadHash string) (Authorization, error) {
	av := req.Header.Get(HeaderAuthorization)
	if av == "" {
		if req.URL != nil && req.URL.Query().Has(QueryAlgorithm) {
			return v.VerifyPresigned(req, payloadHash)
		}
		return Authorization{}, verifyErr(CodeMissingAuthenticationToken, "Missing Authentication Token")
	}
	auth, err := ParseAuthorization(av)
	if err != nil {
		return auth, verifyErr(CodeIncompleteSignature, "%s", strings.TrimPrefix(err.Error(), "sigv4: "))
	}
	creds, err := v.checkCredential(&auth, req.Header.Get(HeaderSecurityToken))
	if err != nil {
		return auth, err
	}
	ds := req.Header.Get(HeaderDate)
	if ds == "" {
		return auth, verifyErr(CodeIncompleteSignature, "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.")
	}
	t, err := time.Parse(TimeFormat, ds)
	if err != nil {
		return auth, verifyErr(CodeIncompleteSignature, "X-Amz-Date %q is not of the form YYYYMMDDTHHMMSSZ", ds)
	}
	if ds[:8] != auth.Date {
		return auth, verifyErr(CodeInvalidSignature, "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '%s' != '%s', from '%s'.", auth.Date, ds[:8], ds)
	}
	if skew := v.maxSkew(); skew > 0 {
		now := v.now().UTC()
		if d := now.Sub(t); d > skew {
			return auth, verifyErr(CodeInvalidSignature, "Signature expired: %s is now earlier than %s (%s - %s.)",
				ds, now.Add(-skew).Format(TimeFormat), now.Format(TimeFormat), skewText(skew))
		} else if -d > skew {
			return auth, verifyErr(CodeInvalidSignature, "Signature not yet current: %s is still later than %s (%s + %s.)",
				ds, now.Add(skew).Format(TimeFormat), now.Format(TimeFormat), skewText(skew))
		}
	}
	if !contains(auth.SignedHeaders, "host") {
		return auth, verifyErr(CodeInvalidSignature, "'Host' must be a 'SignedHeader' in the AWS Authorization.")
	}
	if req.Header.Get(HeaderSecurityToken) != "" && !contains(auth.SignedHeaders, "x-amz-security-token") {
		return auth, verifyErr(CodeInvalidSignature, "'X-Amz-Security-Token' must be a 'SignedHeader' in the AWS Authorization.")
	}
	payloadHash, err = serverPayloadHash(req, payloadHash)
	if err != nil {
		return auth, err
	}
	in := serverInput(req, payloadHash)
	in.signedList = auth.SignedHeaders
	st, err := v.Signer.serverSteps(in, &creds, auth.Region, auth.Service, t)
	if err != nil {
		return auth, verifyErr(CodeInvalidSignature, "%s", strings.TrimPrefix(err.Error(), "sigv4: "))
	}
	st.Authorization = Algorithm + " Credential=" + creds.AccessKeyID + "/" + st.Scope +
		", SignedHeaders=" + st.SignedHeaders + ", Signature=" + st.Signature
	if !hmac.Equal([]byte(st.Signature), []byte(auth.Signature)) {
		e := verifyErr(CodeInvalidSignature, "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.")
		e.Steps = st
		return auth, e
	}
	return auth, nil
}

// VerifyPresigned checks a request authenticated by its query string (a
// presigned URL). payloadHash is as for VerifyHTTP; presigned URLs of
// services other than S3 usually sign the empty body's hash.
func (v *Verifier) VerifyPresigned(req *http.Request, payloadHash string) (Authorization, error) {
	var auth Authorization
	q, err := url.ParseQuery(req.URL.RawQuery)
	if err != nil {
		return auth, verifyErr(CodeIncompleteSignature, "malformed query string: %v", err)
	}
	one := func(k string) (string, error) {
		vs := q[k]
		if len(vs) != 1 || vs[0] == "" {
			return "", verifyErr(CodeIncompleteSignature, "AWS query-string parameters must include exactly one non-empty '%s'.", k)
		}
		return vs[0], nil
	}
	var alg, cred, ds, exp, sh, sig string
	for _, p := range []struct {
		k string
		v *string
	}{{QueryAlgorithm, &alg}, {QueryCredential, &cred}, {QueryDate, &ds}, {QueryExpires, &exp}, {QuerySignedHeaders, &sh}, {QuerySignature, &sig}} {
		if *p.v, err = one(p.k); err != nil {
			if p.k == QueryAlgorithm {
				return auth, verifyErr(CodeMissingAuthenticationToken, "Missing Authentication Token")
			}
			return auth, err
		}
	}
	if alg != Algorithm {
		return auth, verifyErr(CodeIncompleteSignature, "X-Amz-Algorithm must be %s", Algorithm)
	}
	auth, err = ParseAuthorization(Algorithm + " Credential=" + cred + ", SignedHeaders=" + sh + ", Signature=" + sig)
	if err != nil {
		return auth, verifyErr(CodeIncompleteSignature, "%s", strings.TrimPrefix(err.Error(), "sigv4: authorization: "))
	}
	creds, err := v.checkCredential(&auth, q.Get(QuerySecurityToken))
	if err != nil {
		return auth, err
	}
	t, err := time.Parse(TimeFormat, ds)
	if err != nil {
		return auth, verifyErr(CodeIncompleteSignature, "X-Amz-Date %q is not of the form YYYYMMDDTHHMMSSZ", ds)
	}
	if ds[:8] != auth.Date {
		return auth, verifyErr(CodeInvalidSignature, "Date in Credential scope does not match YYYYMMDD from X-Amz-Date: '%s' != '%s'.", auth.Date, ds[:8])
	}
	secs, err := strconv.ParseInt(exp, 10, 64)
	if err != nil || secs < 1 || secs > int64(MaxPresignExpiry/time.Second) {
		return auth, verifyErr(CodeIncompleteSignature, "X-Amz-Expires must be an integer between 1 and 604800, not %q", exp)
	}
	now := v.now().UTC()
	if now.After(t.Add(time.Duration(secs) * time.Second)) {
		return auth, verifyErr(CodeInvalidSignature, "Signature expired: %s is now earlier than %s", t.Add(time.Duration(secs)*time.Second).Format(TimeFormat), now.Format(TimeFormat))
	}
	if skew := v.maxSkew(); skew > 0 && t.Sub(now) > skew {
		return auth, verifyErr(CodeInvalidSignature, "Signature not yet current: %s is still later than %s", ds, now.Add(skew).Format(TimeFormat))
	}
	if !contains(auth.SignedHeaders, "host") {
		return auth, verifyErr(CodeInvalidSignature, "'Host' must be a 'SignedHeader' in the AWS Authorization.")
	}
	if payloadHash == "" {
		payloadHash = req.Header.Get(HeaderContentSHA256)
	}
	if payloadHash == "" {
		payloadHash = EmptyPayloadHash
		if req.Body != nil && req.Body != http.NoBody {
			if payloadHash, err = bodyHash(req); err != nil {
				return auth, err
			}
		}
	}
	in := serverInput(req, payloadHash)
	in.signedList = auth.SignedHeaders
	in.skipQuery = QuerySignature
	st, err := v.Signer.serverSteps(in, &creds, auth.Region, auth.Service, t)
	if err != nil {
		return auth, verifyErr(CodeInvalidSignature, "%s", strings.TrimPrefix(err.Error(), "sigv4: "))
	}
	if !hmac.Equal([]byte(st.Signature), []byte(auth.Signature)) {
		e := verifyErr(CodeInvalidSignature, "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.")
		e.Steps = st
		return auth, e
	}
	return auth, nil
}

// skewText writes a skew window as the service's messages do ("15 min"),
// or as a Go duration when it is not a whole number of minutes.
func skewText(d time.Duration) string {
	if d%time.Minute == 0 {
		return strconv.FormatInt(int64(d/time.Minute), 10) + " min"
	}
	return d.String()
}

func (v *Verifier) maxSkew() time.Duration {
	if v.MaxSkew == 0 {
		return DefaultMaxSkew
	}
	return v.MaxSkew
}

// checkCredential looks the key up and checks the scope and the token.
func (v *Verifier) checkCredential(auth *Authorization, token string) (Credentials, error) {
	if v.Credentials == nil {
		return Credentials{}, errors.New("sigv4: Verifier.Credentials is nil")
	}
	creds, ok := v.Credentials(auth.AccessKeyID)
	if !ok || !creds.HasKeys() {
		if token != "" {
			return creds, verifyErr(CodeUnrecognizedClient, "The security token included in the request is invalid.")
		}
		return creds, verifyErr(CodeUnrecognizedClient, "The security token included in the request is invalid.")
	}
	if creds.SessionToken != "" && !hmac.Equal([]byte(creds.SessionToken), []byte(token)) {
		return creds, verifyErr(CodeUnrecognizedClient, "The security token included in the request is invalid.")
	}
	if v.Region != "" && auth.Region != v.Region {
		return creds, verifyErr(CodeInvalidSignature, "Credential should be scoped to a valid region. ")
	}
	if v.Service != "" && auth.Service != v.Service {
		return creds, verifyErr(CodeInvalidSignature, "Credential should be scoped to correct service: '%s'. ", v.Service)
	}
	return creds, nil
}

// serverPayloadHash settles the payload hash of a received request.
func serverPayloadHash(req *http.Request, given string) (string, error) {
	sent := req.Header.Get(HeaderContentSHA256)
	switch {
	case given == "" && sent != "":
		return sent, nil
	case given == "":
		h, err := bodyHash(req)
		if err != nil {
			return "", err
		}
		return h, nil
	case sent != "" && sent != given && given != UnsignedPayload && given != StreamingEventsPayload:
		return "", verifyErr(CodeInvalidSignature, "The provided 'x-amz-content-sha256' header does not match what was computed.")
	}
	return given, nil
}

// serverInput describes a received request for the canonicaliser.
func serverInput(req *http.Request, payloadHash string) *canonInput {
	scheme := "http"
	if req.TLS != nil {
		scheme = "https"
	}
	path := ""
	if ru := req.RequestURI; ru != "" && ru[0] == '/' {
		path, _, _ = strings.Cut(ru, "?")
	} else if req.URL != nil {
		path = wirePath(req.URL)
	}
	host := req.Host
	if host == "" && req.URL != nil {
		host = req.URL.Host
	}
	method := req.Method
	if method == "" {
		method = http.MethodGet
	}
	return &canonInput{
		method:        method,
		path:          path,
		rawQuery:      req.URL.RawQuery,
		host:          stripDefaultPort(host, scheme),
		header:        req.Header,
		payloadHash:   payloadHash,
		contentLength: req.ContentLength,
	}
}

// ServerSteps computes, on the server side, the steps of the signature of a
// received request over exactly auth.SignedHeaders, signed at t with
// payloadHash. It is the building block of [Verifier.VerifyHTTP] for servers
// that need their own checks.
func (sg *Signer) ServerSteps(req *http.Request, creds Credentials, auth Authorization, t time.Time, payloadHash string) (Steps, error) {
	if req == nil || req.URL == nil {
		return Steps{}, errors.New("sigv4: nil request or URL")
	}
	if len(auth.SignedHeaders) == 0 {
		return Steps{}, errors.New("sigv4: no signed headers")
	}
	in := serverInput(req, payloadHash)
	in.signedList = auth.SignedHeaders
	st, err := sg.serverSteps(in, &creds, auth.Region, auth.Service, t)
	if err != nil {
		return st, err
	}
	st.Authorization = Algorithm + " Credential=" + creds.AccessKeyID + "/" + st.Scope +
		", SignedHeaders=" + st.SignedHeaders + ", Signature=" + st.Signature
	return st, nil
}

func (sg *Signer) serverSteps(in *canonInput, creds *Credentials, region, service string, t time.Time) (Steps, error) {
	if in.host == "" {
		return Steps{}, ErrNoHost
	}
	s := getScratch()
	defer putScratch(s)
	r, err := sg.sign(s, in, creds, region, service, t)
	if err != nil {
		return Steps{}, err
	}
	return r.steps(s), nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// VerifyEventChunk reports whether sig is the signature of an event-stream
// chunk chained from prevSignature (see [Signer.SignEventChunk]).
func (sg *Signer) VerifyEventChunk(creds Credentials, region, service string, t time.Time, prevSignature, headers, payload, sig []byte) (bool, error) {
	var buf [sha256.Size]byte
	want, err := sg.AppendEventChunkSignature(buf[:0], creds, region, service, t, prevSignature, headers, payload)
	if err != nil {
		return false, err
	}
	return hmac.Equal(want, sig), nil
}

var _ = bytes.Equal
var _ = hex.EncodeToString
var _ = io.EOF
