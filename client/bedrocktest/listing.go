package bedrocktest

import (
	"encoding/base64"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// listing is the query of a paginated List* operation, checked: its enum
// filters, its submit-time range and its page window. nextToken is an
// opaque base64 "<prefix><offset>", the prefix naming the listing so that
// a token from one listing is refused by another.
type listing struct {
	q             url.Values
	after, before time.Time // zero when absent
	ascending     bool      // sortOrder=Ascending; newest first otherwise
	maxResults    int
	offset        int
	tokenPrefix   string
}

// enumParam is a query parameter whose value must be one of allow. member
// is the name the service's validation message gives it, when that is not
// the query key.
type enumParam struct {
	key, member string
	allow       []string
}

var sortOrderParam = enumParam{key: "sortOrder", allow: []string{"Ascending", "Descending"}}

// parseListing reads the query of a List* call: every enum parameter
// present must hold one of its values, and with timed the submitTimeAfter
// and submitTimeBefore filters are read. On a bad value it answers with the
// ValidationException the service gives and reports false.
func (c *call) parseListing(tokenPrefix string, timed bool, enums ...enumParam) (*listing, bool) {
	q, err := url.ParseQuery(c.r.URL.RawQuery)
	if err != nil {
		c.fail(ValidationError("Malformed query string."))
		return nil, false
	}
	l := &listing{q: q, maxResults: 1000, tokenPrefix: tokenPrefix, ascending: q.Get("sortOrder") == "Ascending"}
	if !c.checkEnums(q, enums...) {
		return nil, false
	}
	if timed {
		for _, p := range []struct {
			k string
			t *time.Time
		}{{"submitTimeAfter", &l.after}, {"submitTimeBefore", &l.before}} {
			if v := q.Get(p.k); v != "" {
				t, err := time.Parse(time.RFC3339Nano, v)
				if err != nil {
					c.fail(ValidationError(fmt.Sprintf("1 validation error detected: Value '%s' at '%s' failed to satisfy constraint: Member must be a timestamp", v, p.k)))
					return nil, false
				}
				*p.t = t
			}
		}
	}
	if v := q.Get("maxResults"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1000 {
			c.fail(ValidationError(fmt.Sprintf("1 validation error detected: Value '%s' at 'maxResults' failed to satisfy constraint: Member must have value between 1 and 1000", v)))
			return nil, false
		}
		l.maxResults = n
	}
	if tok := q.Get("nextToken"); tok != "" {
		b, err := base64.RawURLEncoding.DecodeString(tok)
		rest, ok := strings.CutPrefix(string(b), tokenPrefix)
		n, err2 := strconv.Atoi(rest)
		if err != nil || !ok || err2 != nil || n < 0 {
			c.fail(ValidationError("The provided nextToken is invalid."))
			return nil, false
		}
		l.offset = n
	}
	return l, true
}

// checkEnums answers with a ValidationException and reports false when a
// parameter present in q is outside its enum.
func (c *call) checkEnums(q url.Values, enums ...enumParam) bool {
	for _, p := range enums {
		if v := q.Get(p.key); v != "" && !slices.Contains(p.allow, v) {
			member := p.member
			if member == "" {
				member = p.key
			}
			c.fail(ValidationError(fmt.Sprintf("1 validation error detected: Value '%s' at '%s' failed to satisfy constraint: Member must satisfy enum value set: [%s]",
				v, member, strings.Join(p.allow, ", "))))
			return false
		}
	}
	return true
}

// submittedIn reports whether t falls inside the submit-time filters.
func (l *listing) submittedIn(t time.Time) bool {
	return (l.after.IsZero() || t.After(l.after)) && (l.before.IsZero() || t.Before(l.before))
}

// page returns the window [start, end) of a listing of n items and the
// nextToken of what follows it ("" on the last page).
func (l *listing) page(n int) (start, end int, next string) {
	start = min(l.offset, n)
	end = n
	if end-start > l.maxResults {
		end = start + l.maxResults
		next = base64.RawURLEncoding.EncodeToString([]byte(l.tokenPrefix + strconv.Itoa(end)))
	}
	return start, end, next
}
