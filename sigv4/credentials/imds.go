package credentials

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/bedrockwire/bedrockwire/sigv4"
)

// SourceIMDS is the Source of credentials from EC2 instance metadata.
const SourceIMDS = "EC2InstanceMetadata"

const (
	imdsDefaultEndpoint     = "http://169.254.169.254"
	imdsDefaultEndpointIPv6 = "http://[fd00:ec2::254]"
	imdsTokenTTL            = 21600 // seconds, the SDKs' default
	imdsCredentialsPath     = "/latest/meta-data/iam/security-credentials/"
)

// IMDSProvider fetches the instance role's credentials from EC2 instance
// metadata with IMDSv2: a session token from PUT /latest/api/token (kept
// and reused until shortly before its TTL ends), the role name, then the
// role's credentials. It never falls back to IMDSv1.
//
// Each request is bounded by Options.MetadataTimeout (1s by default).
// AWS_EC2_METADATA_DISABLED=true turns it off; AWS_EC2_METADATA_SERVICE_ENDPOINT
// and AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE=IPv6 choose the endpoint. An
// endpoint that cannot be reached at all (not on EC2) reads as "not
// configured" for the chain.
type IMDSProvider struct {
	opts Options

	mu           sync.Mutex
	token        string
	tokenExpires time.Time
}

// NewIMDSProvider returns an IMDSProvider using opts.
func NewIMDSProvider(opts Options) *IMDSProvider {
	return &IMDSProvider{opts: opts}
}

// String shows the endpoint, never the session token.
func (p *IMDSProvider) String() string {
	return "credentials.IMDSProvider{Endpoint: " + redactURL(p.endpoint()) + "}"
}

func (p *IMDSProvider) endpoint() string {
	o := &p.opts
	e := o.IMDSEndpoint
	if e == "" {
		e = o.getenv("AWS_EC2_METADATA_SERVICE_ENDPOINT")
	}
	if e == "" {
		if strings.EqualFold(o.getenv("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE"), "IPv6") {
			e = imdsDefaultEndpointIPv6
		} else {
			e = imdsDefaultEndpoint
		}
	}
	return strings.TrimSuffix(e, "/")
}

// Retrieve fetches the credentials.
func (p *IMDSProvider) Retrieve(ctx context.Context) (sigv4.Credentials, error) {
	if strings.EqualFold(strings.TrimSpace(p.opts.getenv("AWS_EC2_METADATA_DISABLED")), "true") {
		return sigv4.Credentials{}, notConfigured("disabled by AWS_EC2_METADATA_DISABLED")
	}
	body, err := p.get(ctx, imdsCredentialsPath)
	if err != nil {
		return sigv4.Credentials{}, err
	}
	role, _, _ := strings.Cut(strings.TrimSpace(string(body)), "\n")
	role = strings.TrimSpace(role)
	if role == "" || strings.ContainsAny(role, "/?#%") {
		return sigv4.Credentials{}, errors.New("instance metadata: no usable IAM role name (is an instance profile attached?)")
	}
	body, err = p.get(ctx, imdsCredentialsPath+role)
	if err != nil {
		return sigv4.Credentials{}, err
	}
	creds, err := parseIMDSCredentials(body, p.opts.now())
	if err != nil {
		return sigv4.Credentials{}, fmt.Errorf("instance metadata role %s: %w", role, err)
	}
	return creds, nil
}

// get performs an authenticated GET, fetching a token first and once more
// if the endpoint says the token is no longer valid.
func (p *IMDSProvider) get(ctx context.Context, path string) ([]byte, error) {
	for attempt := 0; ; attempt++ {
		token, err := p.sessionToken(ctx)
		if err != nil {
			return nil, err
		}
		req, err := http.NewRequest(http.MethodGet, p.endpoint()+path, nil)
		if err != nil {
			return nil, fmt.Errorf("instance metadata: %w", err)
		}
		req.Header.Set("X-Aws-Ec2-Metadata-Token", token)
		resp, body, err := doLimited(ctx, p.opts.metadataHTTPClient(), req, p.timeout())
		if err != nil {
			return nil, fmt.Errorf("instance metadata GET %s: %w", path, transportError(err))
		}
		switch {
		case resp.StatusCode == http.StatusOK:
			return body, nil
		case resp.StatusCode == http.StatusUnauthorized && attempt == 0:
			p.dropToken(token)
			continue
		case resp.StatusCode == http.StatusNotFound && path == imdsCredentialsPath:
			return nil, errors.New("instance metadata: this instance has no IAM role (instance profile) attached")
		default:
			return nil, fmt.Errorf("instance metadata GET %s: HTTP %d", path, resp.StatusCode)
		}
	}
}

func (p *IMDSProvider) timeout() time.Duration {
	if p.opts.MetadataTimeout > 0 {
		return p.opts.MetadataTimeout
	}
	return defaultMetadataTimeout
}

func (p *IMDSProvider) dropToken(token string) {
	p.mu.Lock()
	if p.token == token {
		p.token = ""
	}
	p.mu.Unlock()
}

// sessionToken returns the cached IMDSv2 token or fetches a new one. The
// lock is held during the fetch so concurrent callers share one PUT.
func (p *IMDSProvider) sessionToken(ctx context.Context) (string, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	now := p.opts.now()
	if p.token != "" && now.Before(p.tokenExpires) {
		return p.token, nil
	}
	req, err := http.NewRequest(http.MethodPut, p.endpoint()+"/latest/api/token", nil)
	if err != nil {
		return "", fmt.Errorf("instance metadata: %w", err)
	}
	req.Header.Set("X-Aws-Ec2-Metadata-Token-Ttl-Seconds", fmt.Sprint(imdsTokenTTL))
	resp, body, err := doLimited(ctx, p.opts.metadataHTTPClient(), req, p.timeout())
	if err != nil {
		if ctx.Err() != nil {
			return "", fmt.Errorf("instance metadata token: %w", ctx.Err())
		}
		// Nothing answers: not running on EC2.
		return "", notConfigured("instance metadata endpoint %s did not answer: %v", redactURL(p.endpoint()), transportError(err))
	}
	switch resp.StatusCode {
	case http.StatusOK:
	case http.StatusForbidden:
		return "", errors.New("instance metadata token request refused (HTTP 403): IMDS may be disabled for this instance")
	case http.StatusNotFound, http.StatusMethodNotAllowed:
		return "", fmt.Errorf("instance metadata token request: HTTP %d: the endpoint does not support IMDSv2 (IMDSv1 is not used)", resp.StatusCode)
	default:
		return "", fmt.Errorf("instance metadata token request: HTTP %d", resp.StatusCode)
	}
	token := strings.TrimSpace(string(body))
	if token == "" || strings.ContainsAny(token, "\r\n") {
		return "", errors.New("instance metadata token request: empty or malformed token")
	}
	p.token = token
	p.tokenExpires = now.Add(imdsTokenTTL*time.Second - time.Minute)
	return token, nil
}

// imdsCredentials is the JSON of /latest/meta-data/iam/security-credentials/<role>.
type imdsCredentials struct {
	Code            string `json:"Code"`
	Message         string `json:"Message"`
	AccessKeyID     string `json:"AccessKeyId"`
	SecretAccessKey string `json:"SecretAccessKey"`
	Token           string `json:"Token"`
	Expiration      string `json:"Expiration"`
}

func parseIMDSCredentials(data []byte, now time.Time) (sigv4.Credentials, error) {
	var r imdsCredentials
	if err := json.Unmarshal(data, &r); err != nil {
		return sigv4.Credentials{}, fmt.Errorf("response is not valid JSON: %s", jsonErrorText(err))
	}
	if r.Code != "" && r.Code != "Success" {
		msg := r.Code
		if r.Message != "" {
			msg += ": " + truncate(r.Message, 300)
		}
		return sigv4.Credentials{}, fmt.Errorf("response code %s", msg)
	}
	creds := sigv4.Credentials{
		AccessKeyID:     r.AccessKeyID,
		SecretAccessKey: r.SecretAccessKey,
		SessionToken:    r.Token,
		Source:          SourceIMDS,
	}
	if err := requireKeys(creds, "AccessKeyId", "SecretAccessKey"); err != nil {
		return sigv4.Credentials{}, fmt.Errorf("response %w", err)
	}
	if r.Expiration != "" {
		t, err := parseTimestamp(r.Expiration)
		if err != nil {
			return sigv4.Credentials{}, fmt.Errorf("response Expiration: %w", err)
		}
		creds.Expires = t
		if creds.Expired(now) {
			return sigv4.Credentials{}, fmt.Errorf("response credentials expired at %s", t.UTC().Format(time.RFC3339))
		}
	}
	return creds, nil
}
