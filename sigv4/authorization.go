package sigv4

import (
	"encoding/hex"
	"fmt"
	"strings"
)

// Authorization is a parsed SigV4 Authorization header value:
//
//	AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/bedrock/aws4_request, SignedHeaders=host;x-amz-date, Signature=<64 hex>
type Authorization struct {
	AccessKeyID   string
	Date          string   // scope date, YYYYMMDD
	Region        string   // scope region
	Service       string   // scope service
	SignedHeaders []string // lower-case names, in the order given
	Signature     string   // 64 lower-case hex digits
}

// Scope returns date/region/service/aws4_request.
func (a Authorization) Scope() string {
	return a.Date + "/" + a.Region + "/" + a.Service + "/aws4_request"
}

// String formats a as an Authorization header value. The signature is
// included: it is not a secret, but it is a credential for a short time, so
// debug output should mask it (see [MaskSignature]).
func (a Authorization) String() string {
	return Algorithm + " Credential=" + a.AccessKeyID + "/" + a.Scope() +
		", SignedHeaders=" + strings.Join(a.SignedHeaders, ";") + ", Signature=" + a.Signature
}

// ParseAuthorization parses a SigV4 Authorization header value. The three
// components may come in any order, separated by commas and optional
// blanks, as AWS accepts them.
func ParseAuthorization(v string) (Authorization, error) {
	var a Authorization
	rest, ok := strings.CutPrefix(v, Algorithm+" ")
	if !ok {
		return a, fmt.Errorf("sigv4: authorization: does not start with %q", Algorithm+" ")
	}
	var haveCred, haveSH, haveSig bool
	for _, part := range strings.Split(rest, ",") {
		part = strings.Trim(part, " \t")
		name, val, ok := strings.Cut(part, "=")
		if !ok {
			return a, fmt.Errorf("sigv4: authorization: malformed component %q", part)
		}
		switch name {
		case "Credential":
			if haveCred {
				return a, fmt.Errorf("sigv4: authorization: duplicate Credential")
			}
			haveCred = true
			f := strings.Split(val, "/")
			if len(f) != 5 || f[4] != "aws4_request" || f[0] == "" || f[2] == "" || f[3] == "" {
				return a, fmt.Errorf("sigv4: authorization: malformed Credential %q: want AKID/YYYYMMDD/region/service/aws4_request", val)
			}
			if len(f[1]) != 8 || strings.Trim(f[1], "0123456789") != "" {
				return a, fmt.Errorf("sigv4: authorization: malformed date %q in Credential", f[1])
			}
			a.AccessKeyID, a.Date, a.Region, a.Service = f[0], f[1], f[2], f[3]
		case "SignedHeaders":
			if haveSH {
				return a, fmt.Errorf("sigv4: authorization: duplicate SignedHeaders")
			}
			haveSH = true
			if val == "" {
				return a, fmt.Errorf("sigv4: authorization: empty SignedHeaders")
			}
			a.SignedHeaders = strings.Split(val, ";")
			for _, h := range a.SignedHeaders {
				if h == "" || strings.ToLower(h) != h {
					return a, fmt.Errorf("sigv4: authorization: SignedHeaders %q: names must be lower-case and non-empty", val)
				}
			}
		case "Signature":
			if haveSig {
				return a, fmt.Errorf("sigv4: authorization: duplicate Signature")
			}
			haveSig = true
			if len(val) != 64 || !isLowerHex(val) {
				return a, fmt.Errorf("sigv4: authorization: Signature must be 64 lower-case hex digits")
			}
			a.Signature = val
		default:
			return a, fmt.Errorf("sigv4: authorization: unknown component %q", name)
		}
	}
	switch {
	case !haveCred:
		return a, fmt.Errorf("sigv4: authorization: missing Credential")
	case !haveSH:
		return a, fmt.Errorf("sigv4: authorization: missing SignedHeaders")
	case !haveSig:
		return a, fmt.Errorf("sigv4: authorization: missing Signature")
	}
	return a, nil
}

// SignatureFromAuthorization returns the 32 raw signature bytes of an
// Authorization header value: the seed of an event-stream signature chain.
func SignatureFromAuthorization(auth string) ([]byte, error) {
	a, err := ParseAuthorization(auth)
	if err != nil {
		return nil, err
	}
	return hex.DecodeString(a.Signature)
}

// MaskSignature returns an Authorization header value with the signature
// shortened to its first 8 digits, for debug output.
func MaskSignature(auth string) string {
	i := strings.Index(auth, "Signature=")
	if i < 0 {
		return auth
	}
	sig := auth[i+len("Signature="):]
	end := strings.IndexAny(sig, ", ")
	if end < 0 {
		end = len(sig)
	}
	if end <= 8 {
		return auth
	}
	return auth[:i+len("Signature=")] + sig[:8] + "…" + sig[end:]
}

func isLowerHex(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}
