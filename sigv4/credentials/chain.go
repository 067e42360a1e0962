package credentials

import (
	"context"
	"errors"
	"fmt"

	"github.com/bedrockwire/bedrockwire/sigv4"
)

// Source is one named entry of a Chain.
type Source struct {
	Name     string // shown in ChainError, e.g. "environment"
	Provider sigv4.CredentialsProvider
}

// Chain tries its sources in order. A source whose error matches
// ErrNotConfigured is passed over; the first credentials win; any other
// error stops the chain. Failing that, the error is a *ChainError naming
// every source tried. Chain never returns empty credentials with a nil
// error.
type Chain []Source

// Retrieve walks the chain.
func (c Chain) Retrieve(ctx context.Context) (sigv4.Credentials, error) {
	attempts := make([]Attempt, 0, len(c))
	for _, s := range c {
		if err := ctx.Err(); err != nil {
			attempts = append(attempts, Attempt{Source: s.Name, Err: err})
			return sigv4.Credentials{}, &ChainError{Attempts: attempts}
		}
		creds, err := s.Provider.Retrieve(ctx)
		if err == nil && !creds.HasKeys() {
			err = errors.New("returned empty credentials")
		}
		if err == nil {
			return creds, nil
		}
		attempts = append(attempts, Attempt{Source: s.Name, Err: err})
		if !errors.Is(err, ErrNotConfigured) {
			return sigv4.Credentials{}, &ChainError{Attempts: attempts}
		}
	}
	if len(attempts) == 0 {
		return sigv4.Credentials{}, &ChainError{Attempts: []Attempt{{Source: "chain", Err: notConfigured("no sources")}}}
	}
	return sigv4.Credentials{}, &ChainError{Attempts: attempts}
}

// DefaultChain returns the sources of the AWS SDK default chain, unwrapped:
// environment, shared config profile, web identity from the environment,
// container endpoint, EC2 instance metadata. With opts.Profile set the
// profile comes before the environment keys.
func DefaultChain(opts Options) Chain {
	profileName := opts.profileName()
	env := Source{Name: "environment", Provider: EnvProvider{Getenv: opts.Getenv}}
	profile := Source{Name: fmt.Sprintf("shared config (profile %q)", profileName), Provider: ProfileProvider{Options: opts}}
	webOpts := opts
	web := Source{Name: "web identity (AWS_WEB_IDENTITY_TOKEN_FILE)", Provider: sigv4.CredentialsProviderFunc(func(ctx context.Context) (sigv4.Credentials, error) {
		o := webOpts
		if o.Region == "" {
			o.Region, _ = ResolveRegion(webOpts)
		}
		return WebIdentityProvider{Options: o}.Retrieve(ctx)
	})}
	container := Source{Name: "container endpoint", Provider: ContainerProvider{Options: opts}}
	imds := Source{Name: "EC2 instance metadata", Provider: NewIMDSProvider(opts)}
	if opts.Profile != "" {
		return Chain{profile, env, web, container, imds}
	}
	return Chain{env, profile, web, container, imds}
}

// NewDefaultChain returns the default chain (see DefaultChain) wrapped in
// the sigv4 caching provider, which refreshes credentials shortly before
// they expire, lets one refresh run at a time, and keeps serving valid
// credentials when a refresh fails. The result is a *sigv4.CachingProvider.
func NewDefaultChain(opts Options) sigv4.CredentialsProvider {
	var copts []sigv4.CachingOption
	if opts.Now != nil {
		copts = append(copts, sigv4.WithClock(opts.Now))
	}
	return sigv4.NewCachingProvider(DefaultChain(opts), copts...)
}
