package credentials

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/bedrockwire/bedrockwire/sigv4"
)

// SourceContainer is the Source of credentials from the container endpoint.
const SourceContainer = "Container"

const ecsContainerHost = "http://169.254.170.2"

// ContainerProvider fetches credentials from the container credentials
// endpoint: ECS task roles (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI, appended
// to http://169.254.170.2) or a full URL (AWS_CONTAINER_CREDENTIALS_FULL_URI,
// as EKS Pod Identity uses) with the token from
// AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE or AWS_CONTAINER_AUTHORIZATION_TOKEN
// sent as the Authorization header.
//
// A full URL must use https, or plain http to a loopback address or to the
// ECS and EKS link-local hosts (169.254.170.2, 169.254.170.23,
// fd00:ec2::23). Host names other than localhost are not resolved: use an
// IP address or https.
type ContainerProvider struct {
	Options Options
}

// Retrieve calls the endpoint once, bounded by Options.ContainerTimeout.
func (p ContainerProvider) Retrieve(ctx context.Context) (sigv4.Credentials, error) {
	o := &p.Options
	target, err := containerURL(o)
	if err != nil {
		return sigv4.Credentials{}, err
	}
	req, err := http.NewRequest(http.MethodGet, target.String(), nil)
	if err != nil {
		return sigv4.Credentials{}, fmt.Errorf("container endpoint: %w", err)
	}
	req.Header.Set("Accept", "application/json")
	token, err := containerAuthToken(o)
	if err != nil {
		return sigv4.Credentials{}, err
	}
	if token != "" {
		req.Header.Set("Authorization", token)
	}
	timeout := o.ContainerTimeout
	if timeout <= 0 {
		timeout = defaultContainerTimeout
	}
	where := "container endpoint " + target.Host
	resp, body, err := doLimited(ctx, o.metadataHTTPClient(), req, timeout)
	if err != nil {
		return sigv4.Credentials{}, fmt.Errorf("%s: %w", where, transportError(err))
	}
	if resp.StatusCode != http.StatusOK {
		return sigv4.Credentials{}, fmt.Errorf("%s: %s", where, containerErrorText(resp.StatusCode, body))
	}
	creds, err := parseContainerResponse(body, o.now())
	if err != nil {
		return sigv4.Credentials{}, fmt.Errorf("%s: %w", where, err)
	}
	return creds, nil
}

func containerURL(o *Options) (*url.URL, error) {
	if rel := o.getenv("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"); rel != "" {
		base := o.ContainerEndpoint
		if base == "" {
			base = ecsContainerHost
		}
		if !strings.HasPrefix(rel, "/") {
			rel = "/" + rel
		}
		u, err := url.Parse(strings.TrimSuffix(base, "/") + rel)
		if err != nil {
			return nil, errors.New("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI is not a valid URL path")
		}
		return u, nil
	}
	full := o.getenv("AWS_CONTAINER_CREDENTIALS_FULL_URI")
	if full == "" {
		return nil, notConfigured("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI and AWS_CONTAINER_CREDENTIALS_FULL_URI are not set")
	}
	u, err := url.Parse(full)
	if err != nil || u.Host == "" {
		return nil, errors.New("AWS_CONTAINER_CREDENTIALS_FULL_URI is not a valid absolute URL")
	}
	switch u.Scheme {
	case "https":
	case "http":
		if !containerHostAllowed(u.Hostname()) {
			return nil, fmt.Errorf("AWS_CONTAINER_CREDENTIALS_FULL_URI host %q is not allowed over plain http: use https, a loopback address, or the ECS/EKS link-local address", u.Hostname())
		}
	default:
		return nil, fmt.Errorf("AWS_CONTAINER_CREDENTIALS_FULL_URI scheme %q is not http or https", u.Scheme)
	}
	return u, nil
}

// containerHostAllowed is the plain-http allow list of the AWS SDKs:
// loopback, the ECS host and the EKS Pod Identity agent.
func containerHostAllowed(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	if ip == nil {
		return false
	}
	if ip.IsLoopback() {
		return true
	}
	for _, allowed := range [...]string{"169.254.170.2", "169.254.170.23", "fd00:ec2::23"} {
		if ip.Equal(net.ParseIP(allowed)) {
			return true
		}
	}
	return false
}

// containerAuthToken reads the token file (re-read every time: it rotates)
// or the token variable.
func containerAuthToken(o *Options) (string, error) {
	var token string
	if path := o.getenv("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"); path != "" {
		data, err := os.ReadFile(o.expandHome(path))
		if err != nil {
			return "", fmt.Errorf("reading AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: %w", err)
		}
		token = strings.TrimSpace(string(data))
		if token == "" {
			return "", errors.New("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE is empty")
		}
	} else {
		token = o.getenv("AWS_CONTAINER_AUTHORIZATION_TOKEN")
	}
	if strings.ContainsAny(token, "\r\n") {
		return "", errors.New("container authorization token contains a line break")
	}
	return token, nil
}

// containerResponse is the container endpoint's JSON.
type containerResponse struct {
	AccessKeyID     string `json:"AccessKeyId"`
	SecretAccessKey string `json:"SecretAccessKey"`
	Token           string `json:"Token"`
	Expiration      string `json:"Expiration"`
}

func parseContainerResponse(data []byte, now time.Time) (sigv4.Credentials, error) {
	var r containerResponse
	if err := json.Unmarshal(data, &r); err != nil {
		return sigv4.Credentials{}, fmt.Errorf("response is not valid JSON: %s", jsonErrorText(err))
	}
	creds := sigv4.Credentials{
		AccessKeyID:     r.AccessKeyID,
		SecretAccessKey: r.SecretAccessKey,
		SessionToken:    r.Token,
		Source:          SourceContainer,
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

// containerErrorText renders a failed response: {"code","message"} when the
// body has them, else the status.
func containerErrorText(status int, body []byte) string {
	var e struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	}
	text := fmt.Sprintf("HTTP %d", status)
	if json.Unmarshal(body, &e) == nil && (e.Code != "" || e.Message != "") {
		if e.Code != "" {
			text += " " + e.Code
		}
		if e.Message != "" {
			text += ": " + truncate(e.Message, 300)
		}
	}
	return text
}
