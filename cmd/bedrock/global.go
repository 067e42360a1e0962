package main

// What every command that calls Bedrock shares: the AWS-CLI-style global
// flags, building a client from them and the environment, the wire debug log,
// parsing flags mixed with arguments, and turning an error into a message on
// stderr and an exit code.

import (
	"context"
	"encoding"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"

	"github.com/bedrockwire/bedrockwire/client"
	"github.com/bedrockwire/bedrockwire/sigv4/credentials"
)

// globalFlags are the flags every calling command accepts, spelled as the
// AWS CLI spells them.
type globalFlags struct {
	region   string
	profile  string
	endpoint string
	debug    bool
}

// globalHelp is the OPTIONS paragraph shared by the manuals.
const globalHelp = `GLOBAL OPTIONS
    --region R          AWS Region (else AWS_REGION, AWS_DEFAULT_REGION, the
                        profile's region; us-east-1 when only a Bedrock API
                        key is configured)
    --profile P         shared-config profile (else AWS_PROFILE)
    --endpoint-url URL  send every request to URL instead of the regional
                        endpoints (else, per service, AWS_ENDPOINT_URL_BEDROCK_RUNTIME,
                        AWS_ENDPOINT_URL_BEDROCK, AWS_ENDPOINT_URL_BEDROCK_AGENT_RUNTIME,
                        then AWS_ENDPOINT_URL)
    --debug             log the resolved Region, endpoint and auth, then every
                        request and response (method, URL, status, headers)
                        to stderr, signatures and tokens masked

ENVIRONMENT
    AWS_BEARER_TOKEN_BEDROCK is a Bedrock API key; alone it is enough.
    Otherwise requests are signed with SigV4 using the credentials the AWS CLI
    would use: AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN,
    the profile in ~/.aws/config and ~/.aws/credentials (static keys,
    credential_process, roles, SSO), web identity, the container endpoint
    and EC2 instance metadata. AWS_MAX_ATTEMPTS and AWS_RETRY_MODE set retries.

EXIT STATUS
    0 success; 1 the service refused or the input was wrong; 2 bad flags or
    arguments; 130 interrupted (Ctrl-C).
`

// addGlobalFlags defines the global flags on fs.
func addGlobalFlags(fs *flag.FlagSet) *globalFlags {
	g := &globalFlags{}
	fs.StringVar(&g.region, "region", "", "AWS Region")
	fs.StringVar(&g.profile, "profile", "", "shared-config profile")
	fs.StringVar(&g.endpoint, "endpoint-url", "", "endpoint URL override")
	fs.BoolVar(&g.debug, "debug", false, "log the wire exchange to stderr")
	return g
}

// cliDefaultRegion is the Region used when only a Bedrock API key is
// configured, so that AWS_BEARER_TOKEN_BEDROCK alone is enough.
const cliDefaultRegion = "us-east-1"

// newClient builds the client the way client.FromEnvironment does, reading the
// environment through e.getenv, with the global flags taking precedence.
func (g *globalFlags) newClient(ctx context.Context, e *env) (*client.Client, error) {
	if g.endpoint != "" {
		u, err := url.Parse(g.endpoint)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return nil, usageError("--endpoint-url %q: want a URL such as https://bedrock-runtime.us-east-1.amazonaws.com", g.endpoint)
		}
	}
	getenv := e.getenv
	opts := []client.EnvOption{client.WithGetenv(getenv)}
	if g.profile != "" {
		opts = append(opts, client.WithCredentialOptions(credentials.Options{Profile: g.profile, Region: g.region}))
	}
	bearer := strings.TrimSpace(getenv(client.EnvBearerToken)) != ""
	var logger *slog.Logger
	if g.debug {
		logger = cliDebugLogger(e.stderr)
	}
	opts = append(opts, client.WithOptions(func(o *client.Options) {
		if g.region != "" {
			o.Region = g.region
		}
		if g.endpoint != "" {
			// The flag sends every service (runtime, control plane,
			// agent runtime) to one place, over any per-service variable.
			o.Endpoint = g.endpoint
			o.ControlPlaneEndpoint, o.AgentRuntimeEndpoint = "", ""
			o.UseFIPS, o.UseDualStack = false, false
		}
		if o.Region == "" && bearer {
			o.Region = cliDefaultRegion
		}
		o.UserAgent = "bedrock-cli"
		if logger != nil {
			o.Logger = logger
		}
	}))
	c, err := client.FromEnvironment(ctx, opts...)
	if err != nil {
		return nil, &cliConfigError{err: err}
	}
	if logger != nil {
		// The resolved configuration, secrets redacted by the client.
		logger.Debug("bedrock client", "region", c.Region(), "endpoint", c.Endpoint(), "client", c.String())
	}
	return c, nil
}

// cliConfigError is a client that could not be configured: no credentials,
// no Region, a bad variable.
type cliConfigError struct{ err error }

func (e *cliConfigError) Error() string { return e.err.Error() }
func (e *cliConfigError) Unwrap() error { return e.err }

// cliDebugLogger writes the client's wire records to w as text, one line
// each. The client masks Authorization signatures, bearer tokens and session
// tokens; cliMaskAttr masks again anything whose name says it is secret, so
// a record the client forgot to mask still prints no secret.
func cliDebugLogger(w io.Writer) *slog.Logger {
	h := slog.NewTextHandler(w, &slog.HandlerOptions{
		Level: slog.LevelDebug,
		ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
			if len(groups) == 0 && a.Key == slog.TimeKey {
				return slog.Attr{} // keep lines comparable; the client logs elapsed times
			}
			if len(groups) == 0 && a.Key == "header" {
				if g, ok := cliHeaderGroup(a); ok {
					return g // its members come back here one by one
				}
			}
			return cliMaskAttr(a)
		},
	})
	return slog.New(h)
}

// cliHeaderGroup turns the client's header value (one "Name: value" line
// per header, see client.Logger) into a group, so that each header prints as
// header.Name=value and passes through cliMaskAttr on its own.
func cliHeaderGroup(a slog.Attr) (slog.Attr, bool) {
	tm, ok := a.Value.Any().(encoding.TextMarshaler)
	if !ok || a.Value.Kind() != slog.KindAny {
		return a, false
	}
	text, err := tm.MarshalText()
	if err != nil {
		return a, false
	}
	var attrs []any
	for line := range strings.SplitSeq(string(text), "\n") {
		name, value, ok := strings.Cut(line, ": ")
		if !ok {
			return a, false
		}
		attrs = append(attrs, slog.String(name, value))
	}
	return slog.Group(a.Key, attrs...), true
}

// cliMaskAttr replaces the value of a secret-looking attribute unless the
// client already masked it.
func cliMaskAttr(a slog.Attr) slog.Attr {
	if a.Value.Kind() != slog.KindString {
		return a
	}
	v := a.Value.String()
	if strings.Contains(v, "****") || v == "" {
		return a
	}
	k := strings.ToLower(a.Key)
	switch {
	case k == "authorization" || k == "proxy-authorization":
		if i := strings.Index(v, "Signature="); i >= 0 {
			return slog.String(a.Key, v[:i+len("Signature=")]+"****")
		}
		if scheme, _, ok := strings.Cut(v, " "); ok {
			return slog.String(a.Key, scheme+" ****")
		}
		return slog.String(a.Key, "****")
	case strings.Contains(k, "token"), strings.Contains(k, "secret"), strings.Contains(k, "signature"),
		strings.Contains(k, "password"), k == "cookie", k == "set-cookie", k == "x-api-key":
		return slog.String(a.Key, "****")
	}
	return a
}

// cliFlagSet returns a flag set for command name that reports parse errors to
// e.stderr and prints nothing else by itself.
func cliFlagSet(e *env, name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {}
	return fs
}

// cliParse parses args with fs, allowing flags before, between and after
// positional arguments ("--" ends the flags). It returns the positional
// arguments; help reports -h/--help.
func cliParse(fs *flag.FlagSet, args []string) (positional []string, help bool, err error) {
	rest := args
	for {
		if err := fs.Parse(rest); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, true, nil
			}
			return nil, false, err
		}
		rest = fs.Args()
		if len(rest) == 0 {
			return positional, false, nil
		}
		// fs.Parse stops at the first non-flag, or after "--".
		if consumed := len(args) - len(rest); consumed > 0 && args[consumed-1] == "--" {
			return append(positional, rest...), false, nil
		}
		positional = append(positional, rest[0])
		args = rest[1:]
		rest = args
	}
}

// cliStart parses a command's arguments and handles --help and flag errors.
// When done is true the command returns code at once.
func cliStart(e *env, fs *flag.FlagSet, args []string, help, synopsis string) (positional []string, code int, done bool) {
	pos, wantHelp, err := cliParse(fs, args)
	if wantHelp {
		io.WriteString(e.stdout, help)
		return nil, exitOK, true
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "usage: %s\nRun 'bedrock %s --help' for details.\n", synopsis, fs.Name())
		return nil, exitUsage, true
	}
	return pos, exitOK, false
}

// usageError is an error in the flags or arguments: exit status 2.
func usageError(format string, a ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{errUsage}, a...)...)
}

// cliFail prints err for command name to stderr and returns the exit code
// it calls for: 130 when ctx was cancelled (Ctrl-C), 2 for a usage error,
// 1 for everything else. A service error is printed with its error code,
// message, HTTP status and request ID.
func cliFail(ctx context.Context, e *env, name string, err error) int {
	if err == nil {
		return exitOK
	}
	if ctx.Err() != nil || errors.Is(err, context.Canceled) {
		fmt.Fprintf(e.stderr, "bedrock %s: interrupted\n", name)
		return exitInterrupt
	}
	if errors.Is(err, errUsage) {
		msg := strings.TrimPrefix(err.Error(), errUsage.Error()+": ")
		fmt.Fprintf(e.stderr, "bedrock %s: %s\nRun 'bedrock %s --help' for details.\n", name, msg, name)
		return exitUsage
	}
	var ae *client.Error
	if errors.As(err, &ae) {
		io.WriteString(e.stderr, cliServiceError(name, ae))
		return exitFailure
	}
	var ce *cliConfigError
	if errors.As(err, &ce) {
		msg := strings.TrimPrefix(ce.err.Error(), "bedrock client: ")
		fmt.Fprintf(e.stderr, "bedrock %s: %s\n", name, msg)
		if strings.Contains(msg, "no AWS credentials") {
			fmt.Fprintf(e.stderr, "bedrock %s: set %s to a Bedrock API key, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or choose a profile with --profile\n", name, client.EnvBearerToken)
		}
		return exitFailure
	}
	fmt.Fprintf(e.stderr, "bedrock %s: %v\n", name, err)
	return exitFailure
}

// cliServiceError formats a service error: the code and message on the
// first line, then the HTTP status and request ID, which AWS Support asks for.
func cliServiceError(name string, ae *client.Error) string {
	var b strings.Builder
	fmt.Fprintf(&b, "bedrock %s: ", name)
	code := ae.Code
	if code == "" {
		code = "HTTP " + fmt.Sprint(ae.StatusCode)
		if t := http.StatusText(ae.StatusCode); t != "" {
			code += " " + t
		}
	}
	b.WriteString(code)
	if ae.Message != "" {
		b.WriteString(": ")
		b.WriteString(ae.Message)
	}
	b.WriteString("\n")
	if ae.OriginalStatusCode != 0 || ae.OriginalMessage != "" {
		fmt.Fprintf(&b, "  model said: %d %s\n", ae.OriginalStatusCode, ae.OriginalMessage)
	}
	where := fmt.Sprintf("HTTP %d", ae.StatusCode)
	if ae.InStream {
		where = "in the response stream"
	}
	rid := ae.RequestID
	if rid == "" {
		rid = "(none)"
	}
	fmt.Fprintf(&b, "  operation: %s, %s, request ID: %s\n", ae.Op, where, rid)
	return b.String()
}

// stringList is a repeatable string flag.
type stringList []string

func (l *stringList) String() string     { return strings.Join(*l, ",") }
func (l *stringList) Set(s string) error { *l = append(*l, s); return nil }

// cliFlagWasSet reports whether the flag name was given on the command line.
func cliFlagWasSet(fs *flag.FlagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) {
		if f.Name == name {
			set = true
		}
	})
	return set
}
