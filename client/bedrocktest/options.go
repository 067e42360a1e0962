package bedrocktest

import (
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/bedrockwire/bedrockwire/sigv4"
)

// Test credentials the emulator accepts unless Options says otherwise. They
// are the example keys of the AWS documentation and grant nothing anywhere
// else.
var (
	// DefaultCredentials is a long-term access key pair.
	DefaultCredentials = sigv4.Credentials{
		AccessKeyID:     "AKIAIOSFODNN7EXAMPLE",
		SecretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
		Source:          "bedrocktest",
	}

	// DefaultSessionCredentials is a temporary key pair; requests signed with
	// it must carry its session token in X-Amz-Security-Token.
	DefaultSessionCredentials = sigv4.Credentials{
		AccessKeyID:     "ASIAIOSFODNN7EXAMPLE",
		SecretAccessKey: "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY",
		SessionToken:    "FwoGZXIvYXdzEBYaDbedrocktestEXAMPLESESSIONTOKEN",
		Source:          "bedrocktest",
	}
)

// DefaultAPIKey is the Bedrock API key the emulator accepts as
// "Authorization: Bearer DefaultAPIKey" unless Options says otherwise.
const DefaultAPIKey = "ABSKQmVkcm9ja1Rlc3RLZXk6YmVkcm9ja3Rlc3QtYXBpLWtleS1leGFtcGxl"

// DefaultRegion is the region the emulator signs for unless Options says
// otherwise.
const DefaultRegion = "us-east-1"

// DefaultAccountID is the account that owns the ARNs the emulator makes.
const DefaultAccountID = "123456789012"

// MaxClockSkew is how far a request's signing time may be from the
// emulator's clock, as for the service.
const MaxClockSkew = 15 * time.Minute

// Options configure a Server. The zero value is ready to use: region
// us-east-1, DefaultCredentials and DefaultSessionCredentials, DefaultAPIKey,
// the real clock, no added latency, Bedrock's "p" padding in stream events.
//
// Printing Options never reveals a secret key, session token or API key.
type Options struct {
	// Region is the region signatures must be scoped to.
	Region string

	// Credentials are the access keys whose SigV4 signatures are accepted.
	// Nil means DefaultCredentials and DefaultSessionCredentials; an empty
	// non-nil slice accepts none.
	Credentials []sigv4.Credentials

	// APIKeys are the accepted bearer tokens. Nil means DefaultAPIKey; an
	// empty non-nil slice accepts none.
	APIKeys []string

	// Anonymous accepts requests with no authentication at all. Requests that
	// do carry credentials are still checked.
	Anonymous bool

	// Clock returns the emulator's time, used for the clock-skew window, the
	// Date header, async invocation times and metrics. Nil means time.Now.
	Clock func() time.Time

	// Latency delays every response before its first byte.
	Latency time.Duration

	// StreamPacing is the pause between two events of a response stream.
	StreamPacing time.Duration

	// NoPadding leaves out the random-length "p" member Bedrock adds to every
	// stream event payload.
	NoPadding bool

	// SessionLimit caps a bidirectional session, as the service caps Nova
	// Sonic sessions at 8 minutes: when it is reached the stream ends with a
	// modelTimeoutException. Zero means 8 minutes; negative, no cap.
	SessionLimit time.Duration

	// GuardrailDenyList lists words (matched case-insensitively) that make
	// ApplyGuardrail, and a Converse call with a guardrail, intervene.
	GuardrailDenyList []string

	// Logger, when set, receives one record per request with its operation,
	// model, status and error type. Secrets are never logged.
	Logger *slog.Logger
}

func (o Options) region() string {
	if o.Region == "" {
		return DefaultRegion
	}
	return o.Region
}

func (o Options) credentials() []sigv4.Credentials {
	if o.Credentials == nil {
		return []sigv4.Credentials{DefaultCredentials, DefaultSessionCredentials}
	}
	return o.Credentials
}

func (o Options) apiKeys() []string {
	if o.APIKeys == nil {
		return []string{DefaultAPIKey}
	}
	return o.APIKeys
}

// DefaultSessionLimit is how long the service lets a bidirectional session
// run.
const DefaultSessionLimit = 8 * time.Minute

func (o Options) sessionLimit() time.Duration {
	if o.SessionLimit == 0 {
		return DefaultSessionLimit
	}
	return o.SessionLimit
}

func (o Options) now() time.Time {
	if o.Clock == nil {
		return time.Now()
	}
	return o.Clock()
}

// String describes the options with every secret redacted.
func (o Options) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "bedrocktest.Options{Region: %s, Credentials: [", o.region())
	for i, c := range o.credentials() {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(c.String())
	}
	fmt.Fprintf(&b, "], APIKeys: %d redacted", len(o.apiKeys()))
	if o.Anonymous {
		b.WriteString(", Anonymous")
	}
	if o.Latency > 0 {
		fmt.Fprintf(&b, ", Latency: %v", o.Latency)
	}
	if o.StreamPacing > 0 {
		fmt.Fprintf(&b, ", StreamPacing: %v", o.StreamPacing)
	}
	if o.NoPadding {
		b.WriteString(", NoPadding")
	}
	if o.SessionLimit != 0 {
		fmt.Fprintf(&b, ", SessionLimit: %v", o.SessionLimit)
	}
	if len(o.GuardrailDenyList) > 0 {
		fmt.Fprintf(&b, ", GuardrailDenyList: %q", o.GuardrailDenyList)
	}
	b.WriteString("}")
	return b.String()
}

// GoString is String, so %#v redacts too.
func (o Options) GoString() string { return o.String() }

// Format implements fmt.Formatter so that every verb prints the redacted form.
func (o Options) Format(f fmt.State, verb rune) { fmt.Fprint(f, o.String()) }

// MaskKey shows the first four and last four characters of a key or token
// and hides the rest, for printing test credentials in logs and help text.
func MaskKey(s string) string {
	if len(s) <= 12 {
		return strings.Repeat("*", len(s))
	}
	return s[:4] + strings.Repeat("*", len(s)-8) + s[len(s)-4:]
}
