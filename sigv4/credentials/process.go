package credentials

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os/exec"
	"runtime"
	"strings"
	"time"

	"github.com/bedrockwire/bedrockwire/sigv4"
)

// SourceProcess is the Source of credentials from a credential_process.
const SourceProcess = "Process"

// maxProcessOutput bounds what is read from a credential_process.
const maxProcessOutput = 64 << 10

// ProcessProvider runs an external command (a profile's credential_process)
// and reads credentials from the JSON it prints:
//
//	{"Version": 1, "AccessKeyId": "...", "SecretAccessKey": "...",
//	 "SessionToken": "...", "Expiration": "2026-01-02T15:04:05Z"}
//
// The command runs through the shell (sh -c, or cmd.exe /C on Windows) with
// the process environment. Its standard error is kept for error messages;
// its standard output never appears in one.
type ProcessProvider struct {
	// Command is the command line to run.
	Command string
	// Timeout bounds the run. Zero: 1 minute.
	Timeout time.Duration
	// Now is the clock used to refuse expired credentials. Nil: time.Now.
	Now func() time.Time
}

// String shows the command's program name only: arguments may carry secrets.
func (p ProcessProvider) String() string {
	name, _, _ := strings.Cut(strings.TrimSpace(p.Command), " ")
	return "credentials.ProcessProvider{Command: " + name + " …}"
}

// Retrieve runs the command and parses its output.
func (p ProcessProvider) Retrieve(ctx context.Context) (sigv4.Credentials, error) {
	if strings.TrimSpace(p.Command) == "" {
		return sigv4.Credentials{}, errors.New("credential_process: empty command")
	}
	timeout := p.Timeout
	if timeout <= 0 {
		timeout = defaultProcessTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	var cmd *exec.Cmd
	if runtime.GOOS == "windows" {
		cmd = exec.CommandContext(ctx, "cmd.exe", "/C", p.Command)
	} else {
		cmd = exec.CommandContext(ctx, "sh", "-c", p.Command)
	}
	stdout := &limitedBuffer{limit: maxProcessOutput}
	stderr := &limitedBuffer{limit: 4 << 10}
	cmd.Stdout, cmd.Stderr = stdout, stderr
	cmd.WaitDelay = time.Second // do not hang on a grandchild holding the pipes
	err := cmd.Run()
	if ctxErr := ctx.Err(); ctxErr != nil {
		if errors.Is(ctxErr, context.DeadlineExceeded) {
			return sigv4.Credentials{}, fmt.Errorf("credential_process: %s: did not finish in time (timeout %v): %w", p.program(), timeout, ctxErr)
		}
		return sigv4.Credentials{}, fmt.Errorf("credential_process: %s: %w", p.program(), ctxErr)
	}
	if err != nil {
		msg := strings.TrimSpace(stderr.String())
		if msg != "" {
			return sigv4.Credentials{}, fmt.Errorf("credential_process: %s: %v: %s", p.program(), err, truncate(msg, 512))
		}
		return sigv4.Credentials{}, fmt.Errorf("credential_process: %s: %w", p.program(), err)
	}
	if stdout.overflow {
		return sigv4.Credentials{}, fmt.Errorf("credential_process: %s: output larger than %d bytes", p.program(), maxProcessOutput)
	}
	now := time.Now
	if p.Now != nil {
		now = p.Now
	}
	creds, err := parseProcessOutput(stdout.Bytes(), now())
	if err != nil {
		return sigv4.Credentials{}, fmt.Errorf("credential_process: %s: %w", p.program(), err)
	}
	return creds, nil
}

func (p ProcessProvider) program() string {
	name, _, _ := strings.Cut(strings.TrimSpace(p.Command), " ")
	return name
}

// processOutput is the credential_process JSON, version 1.
type processOutput struct {
	Version         int     `json:"Version"`
	AccessKeyID     string  `json:"AccessKeyId"`
	SecretAccessKey string  `json:"SecretAccessKey"`
	SessionToken    string  `json:"SessionToken"`
	Expiration      *string `json:"Expiration"`
}

// parseProcessOutput validates credential_process output. Error messages
// never quote the output, which holds secrets.
func parseProcessOutput(data []byte, now time.Time) (sigv4.Credentials, error) {
	var out processOutput
	if err := json.Unmarshal(data, &out); err != nil {
		return sigv4.Credentials{}, fmt.Errorf("output is not valid JSON: %s", jsonErrorText(err))
	}
	if out.Version != 1 {
		return sigv4.Credentials{}, fmt.Errorf("output has Version %d; only Version 1 is supported", out.Version)
	}
	creds := sigv4.Credentials{
		AccessKeyID:     out.AccessKeyID,
		SecretAccessKey: out.SecretAccessKey,
		SessionToken:    out.SessionToken,
		Source:          SourceProcess,
	}
	if err := requireKeys(creds, "AccessKeyId", "SecretAccessKey"); err != nil {
		return sigv4.Credentials{}, fmt.Errorf("output %w", err)
	}
	if out.Expiration != nil && *out.Expiration != "" {
		t, err := parseTimestamp(*out.Expiration)
		if err != nil {
			return sigv4.Credentials{}, fmt.Errorf("output Expiration: %w", err)
		}
		creds.Expires = t
		if creds.Expired(now) {
			return sigv4.Credentials{}, fmt.Errorf("output credentials expired at %s", t.UTC().Format(time.RFC3339))
		}
	}
	return creds, nil
}

// requireKeys checks both halves of the key pair, naming missing fields.
func requireKeys(c sigv4.Credentials, idField, secretField string) error {
	switch {
	case c.AccessKeyID == "" && c.SecretAccessKey == "":
		return fmt.Errorf("has no %s or %s", idField, secretField)
	case c.AccessKeyID == "":
		return fmt.Errorf("has no %s", idField)
	case c.SecretAccessKey == "":
		return fmt.Errorf("has no %s", secretField)
	}
	return nil
}

// jsonErrorText describes a JSON error without quoting input values.
func jsonErrorText(err error) string {
	var syn *json.SyntaxError
	if errors.As(err, &syn) {
		return fmt.Sprintf("syntax error at byte %d", syn.Offset)
	}
	var typ *json.UnmarshalTypeError
	if errors.As(err, &typ) {
		kind, _, _ := strings.Cut(typ.Value, " ") // "number 5" -> "number"
		// Every document read here is an object.
		if typ.Field == "" {
			return fmt.Sprintf("expected a JSON object, got a JSON %s", kind)
		}
		return fmt.Sprintf("field %s: expected %s, got a JSON %s", typ.Field, typ.Type, kind)
	}
	return "malformed"
}

// parseTimestamp reads the timestamps AWS sources emit: RFC 3339 with or
// without fractional seconds, and the "…UTC" form of older SSO caches.
func parseTimestamp(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t, nil
	}
	if t, err := time.Parse("2006-01-02T15:04:05UTC", s); err == nil {
		return t, nil
	}
	return time.Time{}, fmt.Errorf("%q is not an RFC 3339 timestamp", truncate(s, 40))
}

// limitedBuffer keeps at most limit bytes and remembers that more came. It
// deliberately has no ReadFrom, so io.Copy goes through Write.
type limitedBuffer struct {
	buf      bytes.Buffer
	limit    int
	overflow bool
}

func (b *limitedBuffer) Write(p []byte) (int, error) {
	if room := b.limit - b.buf.Len(); len(p) > room {
		b.overflow = true
		if room > 0 {
			b.buf.Write(p[:room])
		}
		return len(p), nil
	}
	return b.buf.Write(p)
}

func (b *limitedBuffer) Bytes() []byte  { return b.buf.Bytes() }
func (b *limitedBuffer) String() string { return b.buf.String() }
