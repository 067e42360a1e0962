package credentials

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/bedrockwire/bedrockwire/sigv4"
)

const stsVersion = "2011-06-15"

// Sources of credentials that STS returned.
const (
	SourceAssumeRole  = "STSAssumeRole"
	SourceWebIdentity = "STSAssumeRoleWithWebIdentity"
)

// STSError is an error answer from AWS STS (or a response that could not
// be read as one).
type STSError struct {
	Action     string // "AssumeRole" or "AssumeRoleWithWebIdentity"
	StatusCode int    // HTTP status
	Type       string // "Sender" or "Receiver", when given
	Code       string // e.g. "AccessDenied", "ExpiredTokenException"
	Message    string
	RequestID  string
}

// Error reads "sts AssumeRole: AccessDenied: <message> (HTTP 403, request ID …)".
func (e *STSError) Error() string {
	var b strings.Builder
	b.WriteString("sts " + e.Action + ": ")
	if e.Code != "" {
		b.WriteString(e.Code)
		if e.Message != "" {
			b.WriteString(": ")
		}
	}
	b.WriteString(e.Message)
	fmt.Fprintf(&b, " (HTTP %d", e.StatusCode)
	if e.RequestID != "" {
		b.WriteString(", request ID " + e.RequestID)
	}
	b.WriteString(")")
	return b.String()
}

// stsEndpoint returns the STS base URL and the signing region: an
// override, the regional endpoint, or the global one signed for us-east-1.
func stsEndpoint(o *Options, region string) (string, string, error) {
	signingRegion := region
	if signingRegion == "" {
		signingRegion = "us-east-1"
	} else if !validRegion(region) {
		return "", "", fmt.Errorf("region %q is not a valid region name", truncate(region, 40))
	}
	if e := o.serviceEndpoint(o.STSEndpoint, "STS"); e != "" {
		return strings.TrimSuffix(e, "/"), signingRegion, nil
	}
	if region == "" {
		return "https://sts.amazonaws.com", signingRegion, nil
	}
	return "https://sts." + region + "." + dnsSuffix(region), signingRegion, nil
}

// dnsSuffix is the partition's DNS suffix for a region.
func dnsSuffix(region string) string {
	switch {
	case strings.HasPrefix(region, "cn-"):
		return "amazonaws.com.cn"
	case strings.HasPrefix(region, "us-iso-"):
		return "c2s.ic.gov"
	case strings.HasPrefix(region, "us-isob-"):
		return "sc2s.sgov.gov"
	default:
		return "amazonaws.com"
	}
}

// validRegion accepts what can safely become a host label: lower-case
// letters, digits and dashes.
func validRegion(r string) bool {
	if r == "" || len(r) > 63 || r[0] == '-' || r[len(r)-1] == '-' {
		return false
	}
	for i := 0; i < len(r); i++ {
		c := r[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

// callSTS POSTs a query-protocol request. With creds it is signed (service
// "sts"); without, it is sent anonymously (AssumeRoleWithWebIdentity).
func callSTS(ctx context.Context, o *Options, region string, form url.Values, creds *sigv4.Credentials) (sigv4.Credentials, error) {
	action := form.Get("Action")
	form.Set("Version", stsVersion)
	endpoint, signingRegion, err := stsEndpoint(o, region)
	if err != nil {
		return sigv4.Credentials{}, fmt.Errorf("sts %s: %w", action, err)
	}
	body := []byte(form.Encode())
	req, err := http.NewRequest(http.MethodPost, endpoint+"/", bytes.NewReader(body))
	if err != nil {
		return sigv4.Credentials{}, fmt.Errorf("sts %s: bad endpoint: %w", action, err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	req.Header.Set("Accept", "text/xml")
	if creds != nil {
		if err := o.signer().SignHTTP(req, *creds, signingRegion, "sts", o.now(), sigv4.HashHex(body)); err != nil {
			return sigv4.Credentials{}, fmt.Errorf("sts %s: signing: %w", action, err)
		}
	}
	resp, data, err := doLimited(ctx, o.apiClient(), req, apiTimeout)
	if err != nil {
		return sigv4.Credentials{}, fmt.Errorf("sts %s: %w", action, transportError(err))
	}
	if resp.StatusCode != http.StatusOK {
		return sigv4.Credentials{}, parseSTSError(action, resp.StatusCode, data)
	}
	c, err := parseSTSCredentials(action, data)
	if err != nil {
		return sigv4.Credentials{}, fmt.Errorf("sts %s: %w", action, err)
	}
	return c, nil
}

// parseSTSCredentials reads <ActionResponse><ActionResult><Credentials>.
// Error texts never quote the document, which holds secrets.
func parseSTSCredentials(action string, data []byte) (sigv4.Credentials, error) {
	root, err := parseXML(data)
	if err != nil {
		return sigv4.Credentials{}, errors.New("response is not valid XML")
	}
	if want := action + "Response"; root.name != want {
		return sigv4.Credentials{}, fmt.Errorf("response root element is <%s>, want <%s>", truncate(root.name, 40), want)
	}
	var found []*xmlNode
	for _, result := range root.children {
		if result.name != action+"Result" {
			continue
		}
		for _, c := range result.children {
			if c.name == "Credentials" {
				found = append(found, c)
			}
		}
	}
	if len(found) != 1 {
		return sigv4.Credentials{}, fmt.Errorf("response has %d <%sResult><Credentials> elements, want 1", len(found), action)
	}
	x := found[0]
	c := sigv4.Credentials{
		AccessKeyID:     strings.TrimSpace(x.childText("AccessKeyId")),
		SecretAccessKey: strings.TrimSpace(x.childText("SecretAccessKey")),
		SessionToken:    strings.TrimSpace(x.childText("SessionToken")),
		Source:          "STS" + action, // SourceAssumeRole or SourceWebIdentity
	}
	if err := requireKeys(c, "AccessKeyId", "SecretAccessKey"); err != nil {
		return sigv4.Credentials{}, fmt.Errorf("response %w", err)
	}
	if c.SessionToken == "" {
		return sigv4.Credentials{}, errors.New("response has no SessionToken")
	}
	t, err := parseTimestamp(x.childText("Expiration"))
	if err != nil {
		return sigv4.Credentials{}, fmt.Errorf("response Expiration: %w", err)
	}
	c.Expires = t
	return c, nil
}

// parseSTSError reads <ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/>.
func parseSTSError(action string, status int, data []byte) error {
	e := &STSError{Action: action, StatusCode: status}
	if root, err := parseXML(data); err == nil {
		if x := root.child("Error"); x != nil && (x.childText("Code") != "" || x.childText("Message") != "") {
			e.Type = strings.TrimSpace(x.childText("Type"))
			e.Code = strings.TrimSpace(x.childText("Code"))
			e.Message = truncate(strings.TrimSpace(x.childText("Message")), 1000)
			e.RequestID = strings.TrimSpace(root.childText("RequestId"))
			return e
		}
	}
	e.Message = http.StatusText(status)
	if e.Message == "" {
		e.Message = "unexpected response"
	}
	return e
}

// defaultSessionName names a role session when the profile does not.
func defaultSessionName(now time.Time) string {
	return fmt.Sprintf("bedrockwire-%d", now.UnixNano())
}
