package client

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"net/url"
	"strconv"
	"time"
)

// ErrRepeatedPageToken is what a pagination iterator yields when the
// service hands back a page token it handed back before: following it would
// read the same pages forever.
var ErrRepeatedPageToken = errors.New("the service returned a page token it had already returned")

// pageFunc reads the page that token names ("" for the first) and returns
// its items and the token of the next page ("" after the last).
type pageFunc[T any] func(ctx context.Context, token string) (items []T, next string, err error)

// paginate returns an iterator over the items of every page, starting at
// the page named by first ("" for the first page). It reads a page only when
// the caller has consumed the previous one, stops after a page without a
// next token, and ends with one error — the failed call's, or one wrapping
// ErrRepeatedPageToken — yielded with the zero item. Breaking out of the
// loop stops the reading.
func paginate[T any](ctx context.Context, op, first string, fetch pageFunc[T]) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		token := first
		seen := make(map[string]struct{})
		if token != "" {
			seen[token] = struct{}{}
		}
		for pages := 1; ; pages++ {
			items, next, err := fetch(ctx, token)
			if err != nil {
				yield(zero, err)
				return
			}
			for _, it := range items {
				if !yield(it, nil) {
					return
				}
			}
			if next == "" {
				return
			}
			if _, dup := seen[next]; dup {
				yield(zero, fmt.Errorf("bedrock %s: %w (after %d pages)", op, ErrRepeatedPageToken, pages))
				return
			}
			seen[next] = struct{}{}
			token = next
		}
	}
}

// listQuery builds the query of a list operation, leaving unset members out.
type listQuery struct {
	q   url.Values
	err error
}

func (l *listQuery) str(name, v string) {
	if v != "" {
		if l.q == nil {
			l.q = url.Values{}
		}
		l.q.Set(name, v)
	}
}

func (l *listQuery) time(name string, t time.Time) {
	if !t.IsZero() {
		l.str(name, formatISOTime(t))
	}
}

// maxResults checks and sets maxResults (0: unset; else 1..1000).
func (l *listQuery) maxResults(n int) {
	if n < 0 || n > 1000 {
		l.err = fmt.Errorf("MaxResults is %d, want 1 to 1000 (or 0 for the service's default)", n)
		return
	}
	if n > 0 {
		l.str("maxResults", strconv.Itoa(n))
	}
}
