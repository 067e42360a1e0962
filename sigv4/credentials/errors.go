package credentials

import (
	"errors"
	"fmt"
	"strings"
)

// ErrNotConfigured is matched (errors.Is) by the error of a source that has
// nothing configured, for example EnvProvider with no keys in the
// environment. The default chain moves on past such sources and stops at
// any other error.
var ErrNotConfigured = errors.New("credentials source not configured")

type notConfiguredError struct{ msg string }

func (e *notConfiguredError) Error() string        { return e.msg }
func (e *notConfiguredError) Is(target error) bool { return target == ErrNotConfigured }

func notConfigured(format string, args ...any) error {
	return &notConfiguredError{msg: fmt.Sprintf(format, args...)}
}

func errorf(format string, args ...any) error {
	return fmt.Errorf(format, args...)
}

// Attempt is one source the chain tried and why it gave no credentials.
type Attempt struct {
	Source string // e.g. "environment", "shared config (profile \"dev\")"
	Err    error
}

// ChainError is returned when no source of a chain yields credentials. It
// lists every source tried, in order, and why each failed. errors.Is and
// errors.As see each attempt's error.
type ChainError struct {
	Attempts []Attempt
}

// Error lists the attempts, one per line after the first.
func (e *ChainError) Error() string {
	var b strings.Builder
	last := len(e.Attempts) - 1
	if last >= 0 && !errors.Is(e.Attempts[last].Err, ErrNotConfigured) {
		fmt.Fprintf(&b, "credentials: %s failed: %v", e.Attempts[last].Source, e.Attempts[last].Err)
		if last > 0 {
			b.WriteString("; tried before it:")
			for _, a := range e.Attempts[:last] {
				fmt.Fprintf(&b, "\n  %s: %v", a.Source, a.Err)
			}
		}
		return b.String()
	}
	b.WriteString("credentials: no AWS credentials found; tried:")
	for _, a := range e.Attempts {
		fmt.Fprintf(&b, "\n  %s: %v", a.Source, a.Err)
	}
	b.WriteString("\nset AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, choose a profile with AWS_PROFILE, or run `aws configure` or `aws sso login`")
	return b.String()
}

// NothingConfigured reports whether every source tried was simply not
// configured (rather than configured and failing): the "no credentials
// anywhere" case, where a caller may fall back to another kind of auth.
func (e *ChainError) NothingConfigured() bool {
	for _, a := range e.Attempts {
		if !errors.Is(a.Err, ErrNotConfigured) {
			return false
		}
	}
	return true
}

// Unwrap returns each attempt's error, so errors.Is(err, ErrNotConfigured)
// holds when any attempt was not configured; use NothingConfigured to ask
// whether all were.
func (e *ChainError) Unwrap() []error {
	errs := make([]error, len(e.Attempts))
	for i, a := range e.Attempts {
		errs[i] = a.Err
	}
	return errs
}
