package sigv4

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// The signer's date formatting and default-port stripping, held to plain
// definitions.

// FuzzAmzTime: newAmzTime is time.Format(TimeFormat) of the UTC time for
// years 0..9999, and clamps the year (keeping month, day and clock) beyond.
func FuzzAmzTime(f *testing.F) {
	for _, s := range []int64{0, -1, 86399, 86400, 951782400, 951868800, 4107542399, -62167219200, -62167219201, 253402300799, 253402300800, 1 << 62, -1 << 62} {
		f.Add(s, int64(0))
	}
	f.Add(int64(1767225600), int64(999_999_999))
	f.Fuzz(func(t *testing.T, sec, nsec int64) {
		tm := time.Unix(sec, nsec%1e9)
		got := string(func() []byte { a := newAmzTime(tm); return a[:] }())
		u := tm.UTC()
		y := min(max(u.Year(), 0), 9999)
		want := fmt.Sprintf("%04d%02d%02dT%02d%02d%02dZ", y, int(u.Month()), u.Day(), u.Hour(), u.Minute(), u.Second())
		if got != want {
			t.Fatalf("newAmzTime(%v) = %s, want %s", u, got, want)
		}
	})
}

// FuzzStripDefaultPort: stripDefaultPort drops a trailing ":" and the
// scheme's default port after the last colon, unless that colon is inside
// IPv6 brackets.
func FuzzStripDefaultPort(f *testing.F) {
	for _, h := range []string{"example.com:443", "example.com:80", "example.com:", "[::1]:443", "[::443]", "[fe80::1]:", "example.com:8443", "h:443:80", ":443", ""} {
		f.Add(h, "https")
		f.Add(h, "HTTP")
	}
	f.Fuzz(func(t *testing.T, host, scheme string) {
		want := host
		if i := strings.LastIndexByte(host, ':'); i >= 0 && !strings.Contains(host[i:], "]") {
			port := host[i+1:]
			if port == "" || (port == "443" && strings.EqualFold(scheme, "https")) ||
				(port == "80" && strings.EqualFold(scheme, "http")) {
				want = host[:i]
			}
		}
		if got := stripDefaultPort(host, scheme); got != want {
			t.Fatalf("stripDefaultPort(%q, %q) = %q, want %q", host, scheme, got, want)
		}
	})
}
