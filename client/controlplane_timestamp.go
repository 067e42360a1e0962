package client

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"time"
)

// The job and catalog shapes (async invocations, foundation models,
// inference profiles, batch jobs) carry their times with timestampFormat
// iso8601: RFC 3339 strings such as "2026-07-31T12:34:56.789Z". isoTime
// reads them into a time.Time, and writes them back in the service's form.

// isoTime is a time.Time on the wire.
type isoTime struct{ t time.Time }

// isoTimeLayout is how the service writes times, and how queries carry
// them: UTC, milliseconds when there are any.
const isoTimeLayout = "2006-01-02T15:04:05.999Z"

// formatISOTime formats t the way the service writes times.
func formatISOTime(t time.Time) string { return t.UTC().Format(isoTimeLayout) }

// MarshalJSON writes the time as an ISO 8601 string, or null for the zero
// time.
func (t isoTime) MarshalJSON() ([]byte, error) {
	if t.t.IsZero() {
		return []byte("null"), nil
	}
	return strconv.AppendQuote(nil, formatISOTime(t.t)), nil
}

// IsZero lets omitzero leave out an unset time.
func (t isoTime) IsZero() bool { return t.t.IsZero() }

// UnmarshalJSON reads an RFC 3339 string (any offset, fractional seconds or
// none, "t"/"z" in either case), null (the zero time), or, leniently, a
// number of seconds since the epoch as restJson1 writes timestamps by
// default.
func (t *isoTime) UnmarshalJSON(b []byte) error {
	v, err := parseTimestamp(b)
	if err != nil {
		return err
	}
	t.t = v
	return nil
}

// parseTimestamp reads one JSON value holding a timestamp.
func parseTimestamp(b []byte) (time.Time, error) {
	b = bytes.TrimSpace(b)
	switch {
	case len(b) == 0:
		return time.Time{}, errors.New("timestamp: empty value")
	case string(b) == "null":
		return time.Time{}, nil
	case b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return time.Time{}, fmt.Errorf("timestamp: %w", err)
		}
		return parseISOTime(s)
	case b[0] == '-' || '0' <= b[0] && b[0] <= '9':
		f, err := strconv.ParseFloat(string(b), 64)
		if err != nil || math.IsInf(f, 0) || math.IsNaN(f) || f < minEpochSeconds || f >= maxEpochSeconds+1 {
			return time.Time{}, fmt.Errorf("timestamp: %s is not a number of seconds since 1970", printable(b, 40))
		}
		sec, frac := math.Modf(f)
		return time.Unix(int64(sec), int64(math.Round(frac*1e9))).UTC(), nil
	}
	return time.Time{}, fmt.Errorf("timestamp: want an ISO 8601 string, got %s", printable(b, 40))
}

// minEpochSeconds and maxEpochSeconds bound numeric timestamps to the years
// 0001 to 9999, the range RFC 3339 can write.
const (
	minEpochSeconds = -62135596800
	maxEpochSeconds = 253402300799
)

// parseISOTime parses an RFC 3339 date-time as the service writes it. The
// 'T' and 'Z' may be lower case (RFC 3339 allows it; time.RFC3339 does not).
func parseISOTime(s string) (time.Time, error) {
	if len(s) > 64 {
		return time.Time{}, fmt.Errorf("timestamp: %q… is too long", s[:20])
	}
	b := []byte(s)
	if len(b) > 10 && b[10] == 't' {
		b[10] = 'T'
	}
	if n := len(b); n > 0 && b[n-1] == 'z' {
		b[n-1] = 'Z'
	}
	v, err := time.Parse(time.RFC3339Nano, string(b))
	if err != nil {
		return time.Time{}, fmt.Errorf("timestamp: %q is not an ISO 8601 date-time such as 2026-07-31T12:34:56Z", s)
	}
	if y := v.UTC().Year(); y < 0 || y > 9999 {
		// e.g. 0000-01-01T00:00:00+01:00: in UTC, before year 0
		return time.Time{}, fmt.Errorf("timestamp: %q is out of range", s)
	}
	return v, nil
}
