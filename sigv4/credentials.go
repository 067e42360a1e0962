package sigv4

import (
	"context"
	"fmt"
	"time"
)

// Credentials are an AWS access key pair, optionally temporary.
//
// Printing Credentials with fmt (%v, %+v, %#v, %s) or String never reveals the
// secret access key or the session token.
type Credentials struct {
	AccessKeyID     string
	SecretAccessKey string
	SessionToken    string    // empty for long-term keys
	Expires         time.Time // zero when the credentials do not expire
	Source          string    // where they came from, e.g. "EnvironmentVariables"
}

// HasKeys reports whether both the access key ID and the secret are set.
func (c Credentials) HasKeys() bool {
	return c.AccessKeyID != "" && c.SecretAccessKey != ""
}

// CanExpire reports whether the credentials carry an expiry time.
func (c Credentials) CanExpire() bool { return !c.Expires.IsZero() }

// Expired reports whether the credentials have expired at now.
func (c Credentials) Expired(now time.Time) bool {
	return c.CanExpire() && !now.Before(c.Expires)
}

// String describes the credentials with the secret and token redacted.
func (c Credentials) String() string {
	s := "Credentials{AccessKeyID: " + c.AccessKeyID + ", SecretAccessKey: " + redact(c.SecretAccessKey)
	if c.SessionToken != "" {
		s += ", SessionToken: " + redact(c.SessionToken)
	}
	if c.CanExpire() {
		s += ", Expires: " + c.Expires.UTC().Format(time.RFC3339)
	}
	if c.Source != "" {
		s += ", Source: " + c.Source
	}
	return s + "}"
}

// GoString is String, so %#v redacts too.
func (c Credentials) GoString() string { return "sigv4." + c.String() }

// Format implements fmt.Formatter so that every verb prints the redacted form.
func (c Credentials) Format(f fmt.State, verb rune) {
	if verb == 'v' && f.Flag('#') {
		fmt.Fprint(f, c.GoString())
		return
	}
	fmt.Fprint(f, c.String())
}

func redact(s string) string {
	if s == "" {
		return `""`
	}
	return "[redacted]"
}

// CredentialsProvider supplies credentials. Implementations must be safe for
// concurrent use.
type CredentialsProvider interface {
	Retrieve(ctx context.Context) (Credentials, error)
}

// CredentialsProviderFunc adapts a function to CredentialsProvider.
type CredentialsProviderFunc func(ctx context.Context) (Credentials, error)

// Retrieve calls f.
func (f CredentialsProviderFunc) Retrieve(ctx context.Context) (Credentials, error) { return f(ctx) }

// StaticCredentials is a CredentialsProvider that always returns itself.
type StaticCredentials Credentials

// Retrieve returns the credentials, or an error when keys are missing.
func (s StaticCredentials) Retrieve(context.Context) (Credentials, error) {
	c := Credentials(s)
	if !c.HasKeys() {
		return Credentials{}, fmt.Errorf("sigv4: static credentials: access key ID and secret access key must both be set")
	}
	if c.Source == "" {
		c.Source = "StaticCredentials"
	}
	return c, nil
}

// String redacts like Credentials.String.
func (s StaticCredentials) String() string { return Credentials(s).String() }

// GoString redacts like Credentials.GoString.
func (s StaticCredentials) GoString() string { return Credentials(s).GoString() }

// Format redacts like Credentials.Format.
func (s StaticCredentials) Format(f fmt.State, verb rune) { Credentials(s).Format(f, verb) }
