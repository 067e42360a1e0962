package sigv4

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestCredentialsRedaction(t *testing.T) {
	c := Credentials{AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: "wJalrXUtnFEMI/SECRET", SessionToken: "TOKEN-VALUE",
		Expires: time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC), Source: "EnvironmentVariables"}
	want := "Credentials{AccessKeyID: AKIDEXAMPLE, SecretAccessKey: [redacted], SessionToken: [redacted], Expires: 2026-01-01T12:00:00Z, Source: EnvironmentVariables}"
	for _, verb := range []string{"%v", "%+v", "%s", "%q", "%x", "%d"} {
		if got := fmt.Sprintf(verb, c); got != want {
			t.Errorf("%s: %q, want %q", verb, got, want)
		}
	}
	if got := fmt.Sprintf("%#v", c); got != "sigv4."+want {
		t.Errorf("%%#v: %q", got)
	}
	for _, v := range []any{c, &c, StaticCredentials(c), []Credentials{c}, struct{ C Credentials }{c}} {
		for _, verb := range []string{"%v", "%+v", "%#v"} {
			s := fmt.Sprintf(verb, v)
			if strings.Contains(s, "SECRET") || strings.Contains(s, "TOKEN-VALUE") {
				t.Errorf("%s of %T leaks: %s", verb, v, s)
			}
		}
	}
	if got := (Credentials{AccessKeyID: "A"}).String(); got != `Credentials{AccessKeyID: A, SecretAccessKey: ""}` {
		t.Errorf("empty secret: %q", got)
	}
}

func TestCredentialsExpiry(t *testing.T) {
	exp := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	c := Credentials{AccessKeyID: "a", SecretAccessKey: "b", Expires: exp}
	if !c.CanExpire() || c.Expired(exp.Add(-time.Second)) || !c.Expired(exp) {
		t.Errorf("expiry checks wrong for %v", c)
	}
	if (Credentials{}).CanExpire() || (Credentials{}).Expired(exp) {
		t.Error("zero Expires must never expire")
	}
}

func TestStaticCredentials(t *testing.T) {
	got, err := StaticCredentials{AccessKeyID: "a", SecretAccessKey: "b"}.Retrieve(context.Background())
	if err != nil || got.Source != "StaticCredentials" || got.AccessKeyID != "a" {
		t.Errorf("Retrieve = %v, %v", got, err)
	}
	if _, err := (StaticCredentials{AccessKeyID: "a"}).Retrieve(context.Background()); err == nil {
		t.Error("missing secret: no error")
	}
}
