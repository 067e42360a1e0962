package client

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/bedrockwire/bedrockwire/sigv4"
)

// SigningName is the SigV4 service name of Bedrock Runtime. It is "bedrock",
// not the endpoint prefix "bedrock-runtime".
const SigningName = "bedrock"

// userAgentBase starts every User-Agent the client sends.
const userAgentBase = "bedrockwire/0.1"

// Options configures a Client. The zero value is not usable: set a Region
// (or an Endpoint) and either a BearerToken or Credentials.
type Options struct {
	// Region is the AWS region, e.g. "us-east-1". It picks the endpoint and
	// is the SigV4 signing region. Required unless Endpoint is set and
	// BearerToken is used.
	Region string

	// Endpoint, when set, is the base URL used verbatim instead of the
	// regional endpoint, e.g. "https://vpce-123.bedrock-runtime.us-east-1.vpce.amazonaws.com".
	// It must be https, or http to a loopback address.
	Endpoint string

	// ControlPlaneEndpoint and AgentRuntimeEndpoint, when set, are the base
	// URLs of the Bedrock control plane (model catalog, inference profiles,
	// batch jobs; regionally https://bedrock.{region}.amazonaws.com) and of
	// Bedrock Agent Runtime (Rerank; https://bedrock-agent-runtime.{region}.amazonaws.com).
	// When unset, those services use Endpoint if it is set (an emulator that
	// serves all three), else their regional endpoints.
	ControlPlaneEndpoint string
	AgentRuntimeEndpoint string

	// runtimeOnlyEndpoint is the value of Endpoint when it came from
	// AWS_ENDPOINT_URL_BEDROCK_RUNTIME, which serves Bedrock Runtime only.
	runtimeOnlyEndpoint string

	// UseFIPS and UseDualStack pick the FIPS and dual-stack regional
	// endpoints. Neither may be combined with Endpoint.
	UseFIPS      bool
	UseDualStack bool

	// BearerToken is a Bedrock API key sent as "Authorization: Bearer …".
	// When set it takes precedence over Credentials, as in the AWS SDKs.
	BearerToken string

	// Credentials supply the keys for SigV4 signing. The client caches what
	// the provider returns until shortly before it expires.
	Credentials sigv4.CredentialsProvider

	// HTTPClient sends the requests; nil means a shared client with
	// net/http's default transport settings and an HTTP/2 write timeout
	// (DefaultWriteByteTimeout), so that a peer which stops reading cannot
	// hang a stream. A client given here keeps its own transport, proxies
	// and timeouts: give its transport an HTTP2Config.WriteByteTimeout too.
	// Prefer a client without a Timeout: a Timeout also cuts long streams;
	// use contexts.
	HTTPClient *http.Client

	// Retry is the retry policy; the zero value is the AWS standard retry
	// mode with 3 attempts.
	Retry RetryPolicy

	// UserAgent is appended to the User-Agent header, e.g. "myapp/1.2".
	UserAgent string

	// Logger, when set, receives wire debug records through its
	// DebugContext method: method, URL, status and headers, with
	// signatures, session tokens and bearer tokens masked. A *slog.Logger
	// fits: its handler's level decides whether the records are written.
	Logger Logger
}

// String describes the options without secrets.
func (o Options) String() string {
	var b strings.Builder
	b.WriteString("client.Options{")
	field := func(name, value string) {
		if b.Len() > len("client.Options{") {
			b.WriteString(", ")
		}
		b.WriteString(name)
		b.WriteString(": ")
		b.WriteString(value)
	}
	field("Region", fmt.Sprintf("%q", o.Region))
	if o.Endpoint != "" {
		field("Endpoint", fmt.Sprintf("%q", o.Endpoint))
	}
	if o.ControlPlaneEndpoint != "" {
		field("ControlPlaneEndpoint", fmt.Sprintf("%q", o.ControlPlaneEndpoint))
	}
	if o.AgentRuntimeEndpoint != "" {
		field("AgentRuntimeEndpoint", fmt.Sprintf("%q", o.AgentRuntimeEndpoint))
	}
	if o.UseFIPS {
		field("UseFIPS", "true")
	}
	if o.UseDualStack {
		field("UseDualStack", "true")
	}
	if o.BearerToken != "" {
		field("BearerToken", "[redacted]")
	}
	if o.Credentials != nil {
		field("Credentials", fmt.Sprintf("%T", o.Credentials))
	}
	if o.HTTPClient != nil {
		field("HTTPClient", "set")
	}
	field("Retry", o.Retry.String())
	if o.UserAgent != "" {
		field("UserAgent", fmt.Sprintf("%q", o.UserAgent))
	}
	if !nilLogger(o.Logger) {
		field("Logger", "set")
	}
	b.WriteString("}")
	return b.String()
}

// GoString is String, so %#v does not reveal secrets either.
func (o Options) GoString() string { return o.String() }

// Format prints the redacted form for every verb.
func (o Options) Format(f fmt.State, verb rune) { fmt.Fprint(f, o.String()) }

// Client calls Bedrock Runtime. It is safe for concurrent use; create one
// and reuse it.
type Client struct {
	region   string
	endpoint *url.URL
	// endpoints of the control plane and the agent runtime (index: service),
	// or why there is none; endpoint serves Bedrock Runtime.
	endpoints [numServices]serviceEndpoint
	fips      bool
	dualStack bool
	bearer    string
	creds     sigv4.CredentialsProvider
	signer    sigv4.Signer
	http      *http.Client
	retry     RetryPolicy // with defaults filled in
	quota     *retryQuota
	limiter   *rateLimiter // adaptive retry mode only; nil in standard mode
	userAgent string
	logger    Logger // nil when unset

	// Header values built once: User-Agent, and Amz-Sdk-Request per attempt.
	userAgentValue []string
	sdkRequest     []string

	// skew is the correction, in nanoseconds, added to the local clock when
	// signing; set from a server's Date header after a clock-skew error.
	skew atomic.Int64

	// Injection points for tests.
	now       func() time.Time
	sleep     func(ctx context.Context, d time.Duration) error
	rand      func() float64                            // in [0, 1)
	afterFunc func(d time.Duration, f func()) stopTimer // time.AfterFunc
}

// New returns a client configured by opts. It fails when the configuration is
// incomplete or contradictory; the error says what to set.
func New(opts Options) (*Client, error) {
	ep, err := resolveEndpoint(opts.Region, opts.Endpoint, opts.UseFIPS, opts.UseDualStack)
	if err != nil {
		return nil, fmt.Errorf("bedrock client: %w", err)
	}
	bearer := strings.TrimSpace(opts.BearerToken)
	if bearer == "" {
		if opts.Credentials == nil {
			return nil, errors.New("bedrock client: no credentials: set Options.BearerToken (a Bedrock API key) or Options.Credentials")
		}
		if opts.Region == "" {
			return nil, errors.New("bedrock client: missing region: SigV4 signing needs Options.Region even with a custom endpoint")
		}
	} else if strings.ContainsAny(bearer, "\r\n") {
		return nil, errors.New("bedrock client: bearer token contains a line break")
	}
	endpoints, err := resolveOtherEndpoints(opts)
	if err != nil {
		return nil, fmt.Errorf("bedrock client: %w", err)
	}
	retry, err := opts.Retry.withDefaults()
	if err != nil {
		return nil, fmt.Errorf("bedrock client: %w", err)
	}
	if strings.ContainsAny(opts.UserAgent, "\r\n") {
		return nil, errors.New("bedrock client: user agent contains a line break")
	}
	c := &Client{
		region:    opts.Region,
		endpoint:  ep,
		endpoints: endpoints,
		fips:      opts.UseFIPS,
		dualStack: opts.UseDualStack,
		bearer:    bearer,
		http:      opts.HTTPClient,
		retry:     retry,
		quota:     newRetryQuota(),
		userAgent: userAgentBase + " go/" + strings.TrimPrefix(runtime.Version(), "go"),
		now:       time.Now,
		sleep:     sleepContext,
		rand:      rand.Float64,
		afterFunc: func(d time.Duration, f func()) stopTimer { return time.AfterFunc(d, f) },
	}
	if retry.Mode == RetryAdaptive {
		c.limiter = newRateLimiter(c.now())
	}
	if !nilLogger(opts.Logger) {
		c.logger = opts.Logger
	}
	if opts.UserAgent != "" {
		c.userAgent += " " + opts.UserAgent
	}
	if c.http == nil {
		c.http = defaultHTTPClient()
	}
	c.userAgentValue = []string{c.userAgent}
	for i := 1; i <= min(retry.MaxAttempts, 10); i++ {
		c.sdkRequest = append(c.sdkRequest, "attempt="+strconv.Itoa(i)+"; max="+strconv.Itoa(retry.MaxAttempts))
	}
	if bearer == "" {
		c.creds = newCachingProvider(opts.Credentials)
	}
	return c, nil
}

// resolveOtherEndpoints resolves the endpoints of the control plane and the
// agent runtime: the service's own override, else Endpoint (unless it serves
// Bedrock Runtime only), else the regional endpoint. A bad override is an
// error; a regional endpoint that cannot be resolved (no Region beside a
// custom runtime endpoint) is kept as the error of the calls that need it.
func resolveOtherEndpoints(opts Options) ([numServices]serviceEndpoint, error) {
	var eps [numServices]serviceEndpoint
	own := [numServices]string{serviceControlPlane: opts.ControlPlaneEndpoint, serviceAgentRuntime: opts.AgentRuntimeEndpoint}
	for _, svc := range []service{serviceControlPlane, serviceAgentRuntime} {
		custom := strings.TrimSpace(own[svc])
		if custom == "" && opts.Endpoint != opts.runtimeOnlyEndpoint {
			custom = opts.Endpoint
		}
		u, err := resolveServiceEndpoint(svc, opts.Region, custom, opts.UseFIPS, opts.UseDualStack)
		if err != nil && custom != "" {
			return eps, fmt.Errorf("%s endpoint: %w", serviceHosts[svc], err)
		}
		eps[svc] = serviceEndpoint{url: u, err: err}
	}
	return eps, nil
}

// Region returns the region the client signs for and, without a custom
// endpoint, sends to.
func (c *Client) Region() string { return c.region }

// Endpoint returns the base URL requests go to.
func (c *Client) Endpoint() string { return c.endpoint.String() }

// String describes the client without secrets.
func (c *Client) String() string {
	auth := "sigv4"
	if c.bearer != "" {
		auth = "bearer [redacted]"
	}
	return fmt.Sprintf("client.Client{Region: %q, Endpoint: %q, Auth: %s, Retry: %s}",
		c.region, c.endpoint.String(), auth, c.retry.String())
}

// GoString is String.
func (c *Client) GoString() string { return c.String() }

// Format prints the redacted form for every verb.
func (c *Client) Format(f fmt.State, verb rune) { fmt.Fprint(f, c.String()) }

// sleepContext waits d or until ctx is done.
func sleepContext(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return context.Cause(ctx)
	}
}
