package credentials

import (
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/bedrockwire/bedrockwire/sigv4"
)

// Options configure where credentials and the region are looked for. The
// zero value reads the real environment and files and talks to the real AWS
// endpoints. For every setting, an explicit option wins over the matching
// environment variable, which wins over the default.
//
// Options hold no secrets; printing them is safe (URLs have any user info
// redacted).
type Options struct {
	// Profile selects the shared-config profile. Empty: AWS_PROFILE, then
	// AWS_DEFAULT_PROFILE, then "default". An explicit Profile also moves
	// the shared files ahead of the environment keys in the default chain,
	// as the AWS SDK for Go v2 does with WithSharedConfigProfile.
	Profile string

	// Region is the region for STS and SSO calls and the first answer of
	// ResolveRegion.
	Region string

	// Getenv reads environment variables. Nil: os.Getenv.
	Getenv func(string) string

	// HTTPClient sends STS, SSO, container and instance-metadata requests.
	// Nil: a client without proxy for the metadata endpoints and
	// http.DefaultClient for the others.
	HTTPClient *http.Client

	// Now is the clock, used to sign STS requests and to check expiry.
	// Nil: time.Now.
	Now func() time.Time

	// HomeDir replaces the home directory (for ~/.aws/...). Empty: HOME,
	// then USERPROFILE, then os.UserHomeDir.
	HomeDir string

	// ConfigFile and CredentialsFile replace the shared files. Empty:
	// AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE, then ~/.aws/config and
	// ~/.aws/credentials.
	ConfigFile      string
	CredentialsFile string

	// STSEndpoint replaces the STS endpoint (a base URL). Empty:
	// AWS_ENDPOINT_URL_STS, AWS_ENDPOINT_URL, then
	// https://sts.{region}.amazonaws.com (https://sts.amazonaws.com with no
	// region).
	STSEndpoint string

	// SSOEndpoint replaces the IAM Identity Center portal endpoint. Empty:
	// AWS_ENDPOINT_URL_SSO, AWS_ENDPOINT_URL, then
	// https://portal.sso.{region}.amazonaws.com.
	SSOEndpoint string

	// IMDSEndpoint replaces the EC2 instance metadata endpoint. Empty:
	// AWS_EC2_METADATA_SERVICE_ENDPOINT, then http://169.254.169.254 (or
	// http://[fd00:ec2::254] when AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE is
	// IPv6).
	IMDSEndpoint string

	// ContainerEndpoint replaces the base URL that
	// AWS_CONTAINER_CREDENTIALS_RELATIVE_URI is appended to. Empty:
	// http://169.254.170.2.
	ContainerEndpoint string

	// MetadataTimeout bounds each instance-metadata request. Zero: 1s.
	MetadataTimeout time.Duration

	// ContainerTimeout bounds the container-endpoint request. Zero: 5s.
	ContainerTimeout time.Duration

	// ProcessTimeout bounds a credential_process run. Zero: 1 minute.
	ProcessTimeout time.Duration

	// Signer signs STS requests. Nil: a zero sigv4.Signer.
	Signer *sigv4.Signer
}

const (
	defaultMetadataTimeout  = time.Second
	defaultContainerTimeout = 5 * time.Second
	defaultProcessTimeout   = time.Minute
)

func (o *Options) getenv(k string) string {
	if o.Getenv != nil {
		return o.Getenv(k)
	}
	return os.Getenv(k)
}

func (o *Options) now() time.Time {
	if o.Now != nil {
		return o.Now()
	}
	return time.Now()
}

func (o *Options) signer() *sigv4.Signer {
	if o.Signer != nil {
		return o.Signer
	}
	return &defaultSigner
}

// defaultSigner is shared so its signing-key cache is too.
var defaultSigner sigv4.Signer

// apiClient is the client for STS and SSO.
func (o *Options) apiClient() *http.Client {
	if o.HTTPClient != nil {
		return o.HTTPClient
	}
	return http.DefaultClient
}

// metadataTransport never uses a proxy: the metadata endpoints are
// link-local and must not be reached through HTTP_PROXY.
var metadataTransport = &http.Transport{
	Proxy:               nil,
	MaxIdleConnsPerHost: 2,
	IdleConnTimeout:     30 * time.Second,
}

var metadataClient = &http.Client{Transport: metadataTransport}

// metadataHTTPClient is the client for IMDS and the container endpoint.
func (o *Options) metadataHTTPClient() *http.Client {
	if o.HTTPClient != nil {
		return o.HTTPClient
	}
	return metadataClient
}

func (o *Options) profileName() string {
	if o.Profile != "" {
		return o.Profile
	}
	if p := o.getenv("AWS_PROFILE"); p != "" {
		return p
	}
	if p := o.getenv("AWS_DEFAULT_PROFILE"); p != "" {
		return p
	}
	return "default"
}

// profileExplicit reports whether the profile was chosen rather than
// defaulted; a chosen profile that does not exist is an error.
func (o *Options) profileExplicit() bool {
	return o.Profile != "" || o.getenv("AWS_PROFILE") != "" || o.getenv("AWS_DEFAULT_PROFILE") != ""
}

func (o *Options) homeDir() (string, error) {
	if o.HomeDir != "" {
		return o.HomeDir, nil
	}
	if h := o.getenv("HOME"); h != "" {
		return h, nil
	}
	if h := o.getenv("USERPROFILE"); h != "" {
		return h, nil
	}
	if o.Getenv != nil {
		return "", fmt.Errorf("no home directory: HOME is not set")
	}
	h, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("no home directory: %w", err)
	}
	return h, nil
}

// expandHome turns a leading ~/ into the home directory, as the SDKs do for
// file paths taken from the environment and config files.
func (o *Options) expandHome(p string) string {
	if p == "~" || strings.HasPrefix(p, "~/") || strings.HasPrefix(p, `~\`) {
		if h, err := o.homeDir(); err == nil {
			return filepath.Join(h, p[1:])
		}
	}
	return p
}

func (o *Options) fileFromHome(explicit, env string, parts ...string) (string, error) {
	if explicit != "" {
		return o.expandHome(explicit), nil
	}
	if p := o.getenv(env); p != "" {
		return o.expandHome(p), nil
	}
	h, err := o.homeDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(append([]string{h}, parts...)...), nil
}

func (o *Options) configFile() (string, error) {
	return o.fileFromHome(o.ConfigFile, "AWS_CONFIG_FILE", ".aws", "config")
}

func (o *Options) credentialsFile() (string, error) {
	return o.fileFromHome(o.CredentialsFile, "AWS_SHARED_CREDENTIALS_FILE", ".aws", "credentials")
}

// serviceEndpoint returns the configured endpoint for a service: the
// option, AWS_ENDPOINT_URL_<SERVICE>, AWS_ENDPOINT_URL, or "".
func (o *Options) serviceEndpoint(explicit, service string) string {
	if explicit != "" {
		return explicit
	}
	if strings.EqualFold(o.getenv("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"), "true") {
		return ""
	}
	if e := o.getenv("AWS_ENDPOINT_URL_" + service); e != "" {
		return e
	}
	return o.getenv("AWS_ENDPOINT_URL")
}

// String describes the options without secrets: functions are shown as set
// or not, and user info in URLs is redacted.
func (o Options) String() string {
	var b strings.Builder
	b.WriteString("credentials.Options{")
	sep := ""
	field := func(name, v string) {
		if v == "" {
			return
		}
		b.WriteString(sep + name + ": " + v)
		sep = ", "
	}
	field("Profile", o.Profile)
	field("Region", o.Region)
	if o.Getenv != nil {
		field("Getenv", "set")
	}
	if o.HTTPClient != nil {
		field("HTTPClient", "set")
	}
	if o.Now != nil {
		field("Now", "set")
	}
	field("HomeDir", o.HomeDir)
	field("ConfigFile", o.ConfigFile)
	field("CredentialsFile", o.CredentialsFile)
	field("STSEndpoint", redactURL(o.STSEndpoint))
	field("SSOEndpoint", redactURL(o.SSOEndpoint))
	field("IMDSEndpoint", redactURL(o.IMDSEndpoint))
	field("ContainerEndpoint", redactURL(o.ContainerEndpoint))
	if o.MetadataTimeout != 0 {
		field("MetadataTimeout", o.MetadataTimeout.String())
	}
	if o.ContainerTimeout != 0 {
		field("ContainerTimeout", o.ContainerTimeout.String())
	}
	if o.ProcessTimeout != 0 {
		field("ProcessTimeout", o.ProcessTimeout.String())
	}
	if o.Signer != nil {
		field("Signer", "set")
	}
	b.WriteString("}")
	return b.String()
}

// GoString is String, so %#v is safe too.
func (o Options) GoString() string { return o.String() }

// Format prints String for every verb.
func (o Options) Format(f fmt.State, verb rune) { fmt.Fprint(f, o.String()) }

// redactURL hides the user info of a URL, the one place an endpoint could
// carry a secret.
func redactURL(s string) string {
	if s == "" {
		return ""
	}
	u, err := url.Parse(s)
	if err != nil {
		if strings.Contains(s, "@") {
			return "[unparseable URL redacted]"
		}
		return s
	}
	if u.User != nil {
		u.User = url.User("redacted")
	}
	// Query strings can carry presigned tokens.
	if u.RawQuery != "" {
		u.RawQuery = "redacted"
	}
	return u.String()
}
