package client

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

func TestParseTimestamp(t *testing.T) {
	utc := func(y int, mo time.Month, d, h, mi, s, ns int) time.Time {
		return time.Date(y, mo, d, h, mi, s, ns, time.UTC)
	}
	for _, tc := range []struct {
		in   string
		want time.Time
	}{
		{`"2026-07-31T12:34:56Z"`, utc(2026, 7, 31, 12, 34, 56, 0)},
		{`"2026-07-31T12:34:56.789Z"`, utc(2026, 7, 31, 12, 34, 56, 789_000_000)},
		{`"2026-07-31T12:34:56.123456789Z"`, utc(2026, 7, 31, 12, 34, 56, 123_456_789)},
		{`"2026-07-31T14:34:56+02:00"`, utc(2026, 7, 31, 12, 34, 56, 0)},
		{`"2026-07-31t12:34:56z"`, utc(2026, 7, 31, 12, 34, 56, 0)},
		{`"2024-11-04T00:00:00+00:00"`, utc(2024, 11, 4, 0, 0, 0, 0)},
		{` null `, time.Time{}},
		{`1785501296`, utc(2026, 7, 31, 12, 34, 56, 0)},
		{`1785501296.25`, utc(2026, 7, 31, 12, 34, 56, 250_000_000)},
		{`0`, time.Unix(0, 0)},
	} {
		got, err := parseTimestamp([]byte(tc.in))
		if err != nil || !got.Equal(tc.want) {
			t.Errorf("%s: %v (%v), want %v", tc.in, got, err, tc.want)
		}
	}
	for _, in := range []string{``, `"`, `""`, `"yesterday"`, `"2026-07-31"`, `"2026-07-31 12:34:56Z"`, `"2026-07-31T12:34:56"`,
		`"2026-13-01T00:00:00Z"`, `"0000-01-01T00:00:00+01:00"`, `"9999-12-31T23:00:00-02:00"`, `true`, `{}`, `[]`, `1e400`, `-1e300`, `NaN`, `"` + strings.Repeat("9", 100) + `"`, `12abc`} {
		if got, err := parseTimestamp([]byte(in)); err == nil {
			t.Errorf("%q: %v, want an error", in, got)
		}
	}
}

func TestISOTimeMarshal(t *testing.T) {
	for _, tc := range []struct {
		t    time.Time
		want string
	}{
		{time.Date(2026, 7, 31, 12, 34, 56, 0, time.UTC), `"2026-07-31T12:34:56Z"`},
		{time.Date(2026, 7, 31, 12, 34, 56, 780_000_000, time.UTC), `"2026-07-31T12:34:56.78Z"`},
		{time.Date(2026, 7, 31, 14, 34, 56, 1_999_999, time.FixedZone("", 7200)), `"2026-07-31T12:34:56.001Z"`},
		{time.Time{}, `null`},
	} {
		b, err := json.Marshal(isoTime{tc.t})
		if err != nil || string(b) != tc.want {
			t.Errorf("%v: %s (%v), want %s", tc.t, b, err, tc.want)
		}
	}
}

// FuzzParseTimestamp: any input gives a time or an error, never a panic;
// a time that parsed writes back to a string that parses to the same
// instant (to the millisecond the service uses).
func FuzzParseTimestamp(f *testing.F) {
	for _, s := range []string{`"2026-07-31T12:34:56.789Z"`, `"2026-07-31t12:34:56+05:30"`, `null`, `1785501296.5`, `-62135596800`, `"0001-01-01T00:00:00Z"`, `"9999-12-31T23:59:59.999999999Z"`, `1e10`, `-70000000000`, `"\u0032026-07-31T12:34:56Z"`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		got, err := parseTimestamp(b)
		if err != nil {
			if !got.IsZero() {
				t.Fatalf("error %v with a non-zero time %v", err, got)
			}
			return
		}
		out, err := json.Marshal(isoTime{got})
		if err != nil {
			t.Fatalf("%v does not marshal: %v", got, err)
		}
		back, err := parseTimestamp(out)
		if err != nil {
			t.Fatalf("%s (from %q) does not parse back: %v", out, b, err)
		}
		if !back.Equal(got.Truncate(time.Millisecond)) && !(got.IsZero() && back.IsZero()) {
			t.Fatalf("%q: %v, round trip %s gives %v", b, got, out, back)
		}
	})
}
