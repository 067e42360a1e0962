package bedrocktest

import (
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"strings"

	"github.com/bedrockwire/bedrockwire/sigv4"
)

// signingService is the SigV4 service name of Bedrock Runtime.
const signingService = "bedrock"

// authResult is who a request authenticated as.
type authResult struct {
	scheme string // "sigv4", "presigned", "bearer", "none"
	creds  sigv4.Credentials
	// seed is the raw signature of a SigV4 request: the first link of the
	// bidirectional frame chain.
	seed []byte
}

// verifier builds the SigV4 verifier for the server's options.
func (s *Server) newVerifier() *sigv4.Verifier {
	byKey := make(map[string]sigv4.Credentials)
	for _, c := range s.opts.credentials() {
		if c.AccessKeyID != "" {
			byKey[c.AccessKeyID] = c
		}
	}
	return &sigv4.Verifier{
		Region:  s.opts.region(),
		Service: signingService,
		Credentials: func(id string) (sigv4.Credentials, bool) {
			c, ok := byKey[id]
			return c, ok
		},
		Now:     s.opts.now,
		MaxSkew: MaxClockSkew,
	}
}

// authenticate checks the request's credentials and records who made it.
func (c *call) authenticate() *Error {
	res, e := c.s.checkAuth(c)
	if res != nil {
		c.auth = res
		c.s.update(c.rec, func(rec *Request) {
			rec.Auth = res.scheme
			rec.AccessKeyID = res.creds.AccessKeyID
		})
	}
	return e
}

func (s *Server) checkAuth(c *call) (*authResult, *Error) {
	r := c.r
	bidi := c.rt.op == OpInvokeModelWithBidirectionalStream
	av := r.Header.Get("Authorization")

	if scheme, token, ok := strings.Cut(av, " "); ok && strings.EqualFold(scheme, "Bearer") {
		res := &authResult{scheme: "bearer"}
		if bidi || c.rt.op == OpRerank { // Agent Runtime takes SigV4 only
			return res, authError(403, "AccessDeniedException", "This operation does not support API Keys")
		}
		return res, s.checkAPIKey(strings.TrimSpace(token))
	}

	presigned := av == "" && r.URL.Query().Has("X-Amz-Algorithm")
	if av == "" && !presigned {
		if s.opts.Anonymous {
			return &authResult{scheme: "none"}, nil
		}
		return nil, authError(403, "MissingAuthenticationTokenException", "Missing Authentication Token")
	}

	res := &authResult{scheme: "sigv4"}
	if presigned {
		res.scheme = "presigned"
	}
	v := s.verifier

	// Checks of our own before the signature: the key's expiry, and
	// x-amz-date among the signed headers.
	var keyID, token string
	if presigned {
		q := r.URL.Query()
		keyID, _, _ = strings.Cut(q.Get("X-Amz-Credential"), "/")
		token = q.Get("X-Amz-Security-Token")
	} else {
		a, err := sigv4.ParseAuthorization(av)
		if err != nil {
			return res, authError(400, sigv4.CodeIncompleteSignature, strings.TrimPrefix(err.Error(), "sigv4: "))
		}
		keyID = a.AccessKeyID
		token = r.Header.Get("X-Amz-Security-Token")
		if r.Header.Get("X-Amz-Date") != "" && !containsFold(a.SignedHeaders, "x-amz-date") {
			return res, authError(403, sigv4.CodeInvalidSignature, "'X-Amz-Date' must be a 'SignedHeader' in the AWS Authorization.")
		}
	}
	if creds, ok := v.Credentials(keyID); ok && creds.SessionToken != "" && token != "" &&
		subtle.ConstantTimeCompare([]byte(creds.SessionToken), []byte(token)) == 1 && creds.Expired(s.opts.now()) {
		return res, authError(403, "ExpiredTokenException", "The security token included in the request is expired")
	}

	payloadHash := sigv4.HashHex(c.body)
	if bidi {
		if got := r.Header.Get("X-Amz-Content-Sha256"); got != sigv4.StreamingEventsPayload {
			return res, authError(403, sigv4.CodeInvalidSignature,
				"The X-Amz-Content-Sha256 header of an event-stream request must be "+sigv4.StreamingEventsPayload+".")
		}
		payloadHash = sigv4.StreamingEventsPayload
	}
	var (
		a   sigv4.Authorization
		err error
	)
	if presigned {
		a, err = v.VerifyPresigned(r, payloadHash)
	} else {
		a, err = v.VerifyHTTP(r, payloadHash)
	}
	if err != nil {
		var ve *sigv4.VerifyError
		if !errors.As(err, &ve) {
			return res, InternalServerError()
		}
		return res, verifyError(ve)
	}
	creds, _ := v.Credentials(a.AccessKeyID)
	res.creds = creds
	seed, err := hex.DecodeString(a.Signature)
	if err != nil {
		return res, authError(400, sigv4.CodeIncompleteSignature, "The signature is not hex.")
	}
	res.seed = seed
	return res, nil
}

// verifyError turns the verifier's refusal into the service's answer; a
// signature mismatch carries the canonical request and string to sign the
// emulator computed, as AWS sends them.
func verifyError(ve *sigv4.VerifyError) *Error {
	status := 403
	if ve.Code == sigv4.CodeIncompleteSignature {
		status = 400
	}
	msg := ve.Message
	if ve.Steps.CanonicalRequest != "" {
		msg += "\n\nThe Canonical String for this request should have been\n'" + ve.Steps.CanonicalRequest +
			"'\n\nThe String-to-Sign should have been\n'" + ve.Steps.StringToSign + "'\n"
	}
	return authError(status, ve.Code, msg)
}

// checkAPIKey accepts one of the configured API keys.
func (s *Server) checkAPIKey(key string) *Error {
	for _, k := range s.opts.apiKeys() {
		if k != "" && subtle.ConstantTimeCompare([]byte(k), []byte(key)) == 1 {
			return nil
		}
	}
	var e *Error
	if !strings.HasPrefix(key, "ABSK") && !strings.HasPrefix(key, "bedrock-api-key-") {
		e = authError(403, "AccessDeniedException", "Invalid API Key format: Must start with pre-defined prefix")
	} else {
		e = authError(403, "AccessDeniedException", "Authentication failed: Please make sure your API Key is valid.")
	}
	e.upperMessage = true
	return e
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}
