package credentials

import (
	"context"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/bedrockwire/bedrockwire/sigv4"
	"github.com/google/go-cmp/cmp"
)

func TestParseProcessOutput(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    sigv4.Credentials
		wantErr string
	}{
		{
			name: "full",
			in:   `{"Version":1,"AccessKeyId":"ASIA1","SecretAccessKey":"S","SessionToken":"T","Expiration":"2026-11-24T13:00:00Z"}`,
			want: sigv4.Credentials{AccessKeyID: "ASIA1", SecretAccessKey: "S", SessionToken: "T", Expires: time.Date(2026, 11, 24, 13, 0, 0, 0, time.UTC), Source: "Process"},
		},
		{
			name: "long-term keys, no expiry, fractional seconds elsewhere ignored",
			in:   `{"Version":1,"AccessKeyId":"AKIA1","SecretAccessKey":"S","Extra":{"x":[1,2]}}`,
			want: sigv4.Credentials{AccessKeyID: "AKIA1", SecretAccessKey: "S", Source: "Process"},
		},
		{
			name: "fractional expiry with offset",
			in:   `{"Version":1,"AccessKeyId":"A","SecretAccessKey":"S","Expiration":"2026-11-24T14:00:00.5+01:00"}`,
			want: sigv4.Credentials{AccessKeyID: "A", SecretAccessKey: "S", Expires: time.Date(2026, 11, 24, 13, 0, 0, 5e8, time.UTC), Source: "Process"},
		},
		{name: "not JSON", in: `AccessKeyId=secretvalue`, wantErr: "output is not valid JSON: syntax error at byte 1"},
		{name: "truncated", in: `{"Version":1,"AccessKeyId":"A"`, wantErr: "output is not valid JSON: syntax error at byte 30"},
		{name: "wrong type", in: `{"Version":"1"}`, wantErr: "output is not valid JSON: field Version: expected int, got a JSON string"},
		{name: "no version", in: `{"AccessKeyId":"A","SecretAccessKey":"S"}`, wantErr: "output has Version 0; only Version 1 is supported"},
		{name: "version 2", in: `{"Version":2,"AccessKeyId":"A","SecretAccessKey":"S"}`, wantErr: "output has Version 2; only Version 1 is supported"},
		{name: "no secret", in: `{"Version":1,"AccessKeyId":"A"}`, wantErr: "output has no SecretAccessKey"},
		{name: "no keys", in: `{"Version":1}`, wantErr: "output has no AccessKeyId or SecretAccessKey"},
		{name: "bad expiry", in: `{"Version":1,"AccessKeyId":"A","SecretAccessKey":"S","Expiration":"tomorrow"}`, wantErr: `output Expiration: "tomorrow" is not an RFC 3339 timestamp`},
		{name: "expired", in: `{"Version":1,"AccessKeyId":"A","SecretAccessKey":"S","Expiration":"2026-11-24T11:59:59Z"}`, wantErr: "output credentials expired at 2026-11-24T11:59:59Z"},
		{name: "expires exactly now", in: `{"Version":1,"AccessKeyId":"A","SecretAccessKey":"S","Expiration":"2026-11-24T12:00:00Z"}`, wantErr: "output credentials expired at 2026-11-24T12:00:00Z"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseProcessOutput([]byte(tt.in), testNow)
			if errText(err) != orNil(tt.wantErr) {
				t.Fatalf("error: got %s, want %s", errText(err), orNil(tt.wantErr))
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("credentials (-want +got):\n%s", diff)
			}
		})
	}
}

func skipWithoutShell(t *testing.T) {
	t.Helper()
	if runtime.GOOS == "windows" {
		t.Skip("credential_process tests use sh")
	}
}

func TestProcessProvider(t *testing.T) {
	skipWithoutShell(t)
	dir := t.TempDir()
	good := writeFile(t, dir, "good.json", `{"Version":1,"AccessKeyId":"ASIAPROC","SecretAccessKey":"procsecret","SessionToken":"proctoken","Expiration":"2026-11-24T18:00:00Z"}`)
	tests := []struct {
		name    string
		command string
		want    sigv4.Credentials
		wantErr string
	}{
		{
			name:    "cat a file",
			command: "cat " + good,
			want:    sigv4.Credentials{AccessKeyID: "ASIAPROC", SecretAccessKey: "procsecret", SessionToken: "proctoken", Expires: time.Date(2026, 11, 24, 18, 0, 0, 0, time.UTC), Source: "Process"},
		},
		{
			name:    "failing command with stderr",
			command: "echo 'token expired, run login' >&2; exit 3",
			wantErr: "credential_process: echo: exit status 3: token expired, run login",
		},
		{
			name:    "bad JSON never quotes the output",
			command: `printf 'SECRETSECRET'`,
			wantErr: "credential_process: printf: output is not valid JSON: syntax error at byte 1",
		},
		{
			name:    "expired",
			command: `printf '{"Version":1,"AccessKeyId":"A","SecretAccessKey":"S","Expiration":"2020-01-01T00:00:00Z"}'`,
			wantErr: "credential_process: printf: output credentials expired at 2020-01-01T00:00:00Z",
		},
		{
			name:    "too much output",
			command: `head -c 70000 /dev/zero`,
			wantErr: "credential_process: head: output larger than 65536 bytes",
		},
		{
			name:    "empty",
			command: "  ",
			wantErr: "credential_process: empty command",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := retrieve(t, ProcessProvider{Command: tt.command, Now: fixedNow})
			if errText(err) != orNil(tt.wantErr) {
				t.Fatalf("error: got %s, want %s", errText(err), orNil(tt.wantErr))
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("credentials (-want +got):\n%s", diff)
			}
		})
	}
}

func TestProcessProviderCancel(t *testing.T) {
	skipWithoutShell(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := ProcessProvider{Command: "exec sleep 30"}.Retrieve(ctx)
	if want := "credential_process: exec: context canceled"; errText(err) != want {
		t.Errorf("error: got %s, want %s", errText(err), want)
	}
}

func TestProcessProviderTimeout(t *testing.T) {
	skipWithoutShell(t)
	_, err := ProcessProvider{Command: "exec sleep 30", Timeout: 50 * time.Millisecond}.Retrieve(context.Background())
	if want := "credential_process: exec: did not finish in time (timeout 50ms): context deadline exceeded"; errText(err) != want {
		t.Errorf("error: got %s, want %s", errText(err), want)
	}
}

func TestProcessProviderString(t *testing.T) {
	p := ProcessProvider{Command: "/usr/bin/get-creds --password hunter2"}
	for _, s := range []string{p.String()} {
		if strings.Contains(s, "hunter2") {
			t.Errorf("String reveals arguments: %s", s)
		}
	}
}

func FuzzParseProcessOutput(f *testing.F) {
	f.Add([]byte(`{"Version":1,"AccessKeyId":"A","SecretAccessKey":"S","SessionToken":"T","Expiration":"2026-11-24T13:00:00Z"}`))
	f.Add([]byte(`{"Version":1,"AccessKeyId":"A","SecretAccessKey":"S"}`))
	f.Add([]byte(`{"Version":2}`))
	f.Add([]byte(`[]`))
	f.Add([]byte(`{"Version":1,"AccessKeyId":"A","SecretAccessKey":"S","Expiration":"2026-11-24T13:00:00.123456789-07:00"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := parseProcessOutput(data, testNow)
		if err != nil {
			if c != (sigv4.Credentials{}) {
				t.Fatalf("credentials with an error: %v", c)
			}
			if c := secretIn(data); c != "" && strings.Contains(err.Error(), c) {
				t.Fatalf("error %q quotes the secret", err)
			}
			return
		}
		if !c.HasKeys() || c.Expired(testNow) || c.Source != SourceProcess {
			t.Fatalf("bad credentials without error: %v", c)
		}
	})
}

// secretIn returns the SecretAccessKey value of a JSON document, if any,
// when it is long enough to be recognisable.
func secretIn(data []byte) string {
	const key = `"SecretAccessKey":"`
	s := string(data)
	i := strings.Index(s, key)
	if i < 0 {
		return ""
	}
	s = s[i+len(key):]
	j := strings.IndexByte(s, '"')
	if j < 8 {
		return ""
	}
	return s[:j]
}
