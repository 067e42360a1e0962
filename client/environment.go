package client

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/bedrockwire/bedrockwire/sigv4/credentials"
)

// Environment variables FromEnvironment reads (besides those of the
// credential chain in package credentials).
const (
	EnvBearerToken     = "AWS_BEARER_TOKEN_BEDROCK"
	EnvEndpointService = "AWS_ENDPOINT_URL_BEDROCK_RUNTIME"
	EnvEndpoint        = "AWS_ENDPOINT_URL"
	// EnvEndpointControlPlane and EnvEndpointAgentRuntime override the
	// endpoints of the Bedrock control plane and of Bedrock Agent Runtime.
	EnvEndpointControlPlane = "AWS_ENDPOINT_URL_BEDROCK"
	EnvEndpointAgentRuntime = "AWS_ENDPOINT_URL_BEDROCK_AGENT_RUNTIME"
	EnvIgnoreEndpoints      = "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"
	EnvUseFIPS              = "AWS_USE_FIPS_ENDPOINT"
	EnvUseDualStack         = "AWS_USE_DUALSTACK_ENDPOINT"
	EnvMaxAttempts          = "AWS_MAX_ATTEMPTS"
	EnvRetryMode            = "AWS_RETRY_MODE"
)

// EnvOption adjusts how FromEnvironment resolves the configuration.
type EnvOption func(*envConfig)

type envConfig struct {
	creds     credentials.Options
	overrides []func(*Options)
}

// WithGetenv makes FromEnvironment (and the credential chain) read variables
// with getenv instead of os.Getenv; tests and embedders use it.
func WithGetenv(getenv func(string) string) EnvOption {
	return func(c *envConfig) { c.creds.Getenv = getenv }
}

// WithCredentialOptions sets the options of the credential chain and region
// resolution: profile, shared files, HTTP client for STS and metadata, …
// A Getenv set by WithGetenv is kept when opts.Getenv is nil.
func WithCredentialOptions(opts credentials.Options) EnvOption {
	return func(c *envConfig) {
		if opts.Getenv == nil {
			opts.Getenv = c.creds.Getenv
		}
		c.creds = opts
	}
}

// WithOptions changes the resolved Options before the client is built, e.g.
// to set an HTTPClient, a Logger or a UserAgent, or to force a Region.
// Several are applied in order.
func WithOptions(f func(*Options)) EnvOption {
	return func(c *envConfig) { c.overrides = append(c.overrides, f) }
}

// FromEnvironment builds a client configured the way the AWS SDKs configure
// one:
//
//   - auth: AWS_BEARER_TOKEN_BEDROCK (trimmed; empty means unset) takes
//     precedence; otherwise SigV4 with the default credential chain (environment
//     keys, shared config and credentials files, web identity, container,
//     instance metadata), whose credentials are fetched once here so that a
//     missing configuration is reported now;
//   - region: AWS_REGION, AWS_DEFAULT_REGION, then the profile's region;
//   - endpoint: AWS_ENDPOINT_URL_BEDROCK_RUNTIME, then AWS_ENDPOINT_URL
//     (both ignored when AWS_IGNORE_CONFIGURED_ENDPOINT_URLS is true), else
//     the regional endpoint picked with AWS_USE_FIPS_ENDPOINT and
//     AWS_USE_DUALSTACK_ENDPOINT; the control plane and the agent runtime
//     likewise with AWS_ENDPOINT_URL_BEDROCK and
//     AWS_ENDPOINT_URL_BEDROCK_AGENT_RUNTIME;
//   - retries: AWS_MAX_ATTEMPTS and AWS_RETRY_MODE.
//
// Errors say which variable or setting to fix.
func FromEnvironment(ctx context.Context, opts ...EnvOption) (*Client, error) {
	o, err := OptionsFromEnvironment(ctx, opts...)
	if err != nil {
		return nil, err
	}
	return New(o)
}

// OptionsFromEnvironment resolves the Options FromEnvironment would build a
// client with.
func OptionsFromEnvironment(ctx context.Context, opts ...EnvOption) (Options, error) {
	var cfg envConfig
	for _, f := range opts {
		f(&cfg)
	}
	getenv := cfg.creds.Getenv
	if getenv == nil {
		getenv = os.Getenv
		cfg.creds.Getenv = os.Getenv
	}
	var o Options
	var err error

	if !envTrue(getenv(EnvIgnoreEndpoints)) {
		general := strings.TrimSpace(getenv(EnvEndpoint))
		o.Endpoint = strings.TrimSpace(getenv(EnvEndpointService))
		if o.Endpoint == "" {
			o.Endpoint = general
		} else {
			// as in the SDKs, the runtime's own variable is not the other
			// services' endpoint: theirs, then AWS_ENDPOINT_URL, then regional
			o.runtimeOnlyEndpoint = o.Endpoint
		}
		o.ControlPlaneEndpoint = strings.TrimSpace(getenv(EnvEndpointControlPlane))
		o.AgentRuntimeEndpoint = strings.TrimSpace(getenv(EnvEndpointAgentRuntime))
		if o.runtimeOnlyEndpoint != "" {
			if o.ControlPlaneEndpoint == "" {
				o.ControlPlaneEndpoint = general
			}
			if o.AgentRuntimeEndpoint == "" {
				o.AgentRuntimeEndpoint = general
			}
		}
	}
	if o.UseFIPS, err = envBool(getenv, EnvUseFIPS); err != nil {
		return Options{}, err
	}
	if o.UseDualStack, err = envBool(getenv, EnvUseDualStack); err != nil {
		return Options{}, err
	}
	if v := strings.TrimSpace(getenv(EnvMaxAttempts)); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return Options{}, fmt.Errorf("bedrock client: %s=%q: want a whole number of attempts of 1 or more", EnvMaxAttempts, v)
		}
		o.Retry.MaxAttempts = n
	}
	if v := strings.TrimSpace(getenv(EnvRetryMode)); v != "" {
		switch m := RetryMode(strings.ToLower(v)); m {
		case RetryStandard, RetryAdaptive:
			o.Retry.Mode = m
		default:
			return Options{}, fmt.Errorf("bedrock client: %s=%q: want %q or %q", EnvRetryMode, v, RetryStandard, RetryAdaptive)
		}
	}

	region, regionErr := credentials.ResolveRegion(cfg.creds)
	o.Region = region
	for _, f := range cfg.overrides {
		f(&o)
	}
	// A bearer token sent to a custom endpoint needs no region.
	regionNeeded := !(o.Endpoint != "" && (o.BearerToken != "" || strings.TrimSpace(getenv(EnvBearerToken)) != ""))
	if o.Region == "" && regionNeeded {
		if regionErr == nil {
			regionErr = errors.New("no AWS region configured: set AWS_REGION")
		}
		return Options{}, fmt.Errorf("bedrock client: %w", regionErr)
	}
	if o.BearerToken == "" && o.Credentials == nil {
		o.BearerToken = strings.TrimSpace(getenv(EnvBearerToken))
	}
	if o.BearerToken == "" && o.Credentials == nil {
		if cfg.creds.Region == "" {
			cfg.creds.Region = o.Region
		}
		provider := newCachingProvider(credentials.NewDefaultChain(cfg.creds))
		if _, err := provider.Retrieve(ctx); err != nil {
			return Options{}, fmt.Errorf("bedrock client: no AWS credentials (to use a Bedrock API key instead, set %s): %w", EnvBearerToken, err)
		}
		o.Credentials = provider
	}
	return o, nil
}

// envTrue reports whether a boolean variable is "true" (any case).
func envTrue(v string) bool { return strings.EqualFold(strings.TrimSpace(v), "true") }

// envBool reads a boolean variable: unset or empty is false; anything but
// true or false (any case) is an error.
func envBool(getenv func(string) string, name string) (bool, error) {
	v := strings.TrimSpace(getenv(name))
	switch strings.ToLower(v) {
	case "", "false":
		return false, nil
	case "true":
		return true, nil
	}
	return false, fmt.Errorf("bedrock client: %s=%q: want true or false", name, v)
}
