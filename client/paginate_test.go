package client

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// pager answers list requests from pages keyed by the request's nextToken
// ("" for none); it reads the token from the query (GET) or the JSON body
// (Rerank).
func pager(t *testing.T, pages map[string]string) func(http.ResponseWriter, *http.Request) {
	return func(w http.ResponseWriter, r *http.Request) {
		tok := r.URL.Query().Get("nextToken")
		body, ok := pages[tok]
		if !ok {
			w.Header().Set("X-Amzn-Errortype", "ValidationException")
			w.WriteHeader(400)
			fmt.Fprintf(w, `{"message":"bad token '%s'"}`, tok)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(body))
	}
}

// pagedOp is one paginated operation, with the page shape of its output.
type pagedOp struct {
	name string
	// page returns the JSON of a page holding items named by ids and next.
	page func(ids []string, next string) string
	// all lists every item's name, stopping at the first error.
	all func(ctx context.Context, c *Client, first string, stopAfter int) ([]string, error)
}

func collect[T any](seq iter.Seq2[T, error], name func(T) string, stopAfter int) ([]string, error) {
	var got []string
	for v, err := range seq {
		if err != nil {
			return got, err
		}
		got = append(got, name(v))
		if len(got) == stopAfter {
			break
		}
	}
	return got, nil
}

func quoted(ids []string, f func(string) string) string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = f(id)
	}
	return strings.Join(parts, ",")
}

func nextMember(next string) string {
	if next == "" {
		return ""
	}
	return `,"nextToken":"` + next + `"`
}

var pagedOps = []pagedOp{
	{
		name: "ListAsyncInvokes",
		page: func(ids []string, next string) string {
			return `{"asyncInvokeSummaries":[` + quoted(ids, func(id string) string {
				return `{"invocationArn":"` + id + `","modelArn":"m","submitTime":"2026-07-31T00:00:00Z","outputDataConfig":{"s3OutputDataConfig":{"s3Uri":"s3://b/o"}}}`
			}) + `]` + nextMember(next) + `}`
		},
		all: func(ctx context.Context, c *Client, first string, stop int) ([]string, error) {
			return collect(c.AllAsyncInvokes(ctx, &ListAsyncInvokesInput{NextToken: first, MaxResults: 2}), func(a AsyncInvoke) string { return a.InvocationARN }, stop)
		},
	},
	{
		name: "ListInferenceProfiles",
		page: func(ids []string, next string) string {
			return `{"inferenceProfileSummaries":[` + quoted(ids, func(id string) string {
				return `{"inferenceProfileId":"` + id + `","inferenceProfileName":"n","inferenceProfileArn":"a","models":[],"status":"ACTIVE","type":"SYSTEM_DEFINED"}`
			}) + `]` + nextMember(next) + `}`
		},
		all: func(ctx context.Context, c *Client, first string, stop int) ([]string, error) {
			return collect(c.AllInferenceProfiles(ctx, &ListInferenceProfilesInput{NextToken: first}), func(p InferenceProfile) string { return p.InferenceProfileID }, stop)
		},
	},
	{
		name: "ListModelInvocationJobs",
		page: func(ids []string, next string) string {
			return `{"invocationJobSummaries":[` + quoted(ids, func(id string) string {
				return `{"jobArn":"` + id + `","jobName":"j","modelId":"m","roleArn":"r","submitTime":"2026-07-31T00:00:00Z","inputDataConfig":{},"outputDataConfig":{}}`
			}) + `]` + nextMember(next) + `}`
		},
		all: func(ctx context.Context, c *Client, first string, stop int) ([]string, error) {
			return collect(c.AllModelInvocationJobs(ctx, &ListModelInvocationJobsInput{NextToken: first}), func(j ModelInvocationJob) string { return j.JobARN }, stop)
		},
	},
}

func TestPaginationStopsOnEmptyToken(t *testing.T) {
	for _, op := range pagedOps {
		t.Run(op.name, func(t *testing.T) {
			rec, srv := newRecorder(t, pager(t, map[string]string{
				"":   op.page([]string{"a", "b"}, "t1"),
				"t1": op.page(nil, "t2"), // an empty page is not the end
				"t2": op.page([]string{"c"}, ""),
			}))
			c := newTestClient(t, srv.URL, srv.Client())
			got, err := op.all(context.Background(), c.Client, "", 0)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff([]string{"a", "b", "c"}, got); diff != "" {
				t.Errorf("items (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff([]string{"", "t1", "t2"}, tokensSent(t, rec)); diff != "" {
				t.Errorf("tokens sent (-want +got):\n%s", diff)
			}
		})
	}
}

func TestPaginationRefusesRepeatedToken(t *testing.T) {
	for _, op := range pagedOps {
		for _, tc := range []struct {
			name      string
			pages     map[string]string
			wantItems []string
			wantSent  []string
		}{
			{"same token again", map[string]string{
				"":   op.page([]string{"a"}, "t1"),
				"t1": op.page([]string{"b"}, "t1"),
			}, []string{"a", "b"}, []string{"", "t1"}},
			{"cycle", map[string]string{
				"":   op.page([]string{"a"}, "t1"),
				"t1": op.page([]string{"b"}, "t2"),
				"t2": op.page([]string{"c"}, "t1"),
			}, []string{"a", "b", "c"}, []string{"", "t1", "t2"}},
		} {
			t.Run(op.name+"/"+tc.name, func(t *testing.T) {
				rec, srv := newRecorder(t, pager(t, tc.pages))
				c := newTestClient(t, srv.URL, srv.Client())
				got, err := op.all(context.Background(), c.Client, "", 0)
				if !errors.Is(err, ErrRepeatedPageToken) || !strings.Contains(err.Error(), op.name) {
					t.Errorf("error %v, want ErrRepeatedPageToken for %s", err, op.name)
				}
				if diff := cmp.Diff(tc.wantItems, got); diff != "" {
					t.Errorf("items before the error (-want +got):\n%s", diff)
				}
				if diff := cmp.Diff(tc.wantSent, tokensSent(t, rec)); diff != "" {
					t.Errorf("tokens sent (-want +got):\n%s", diff)
				}
			})
		}
	}
}

// TestPaginationStartToken: a listing resumes at the caller's token, and
// the service handing that token back is a repeat too.
func TestPaginationStartToken(t *testing.T) {
	op := pagedOps[0]
	rec, srv := newRecorder(t, pager(t, map[string]string{
		"t5": op.page([]string{"e"}, "t6"),
		"t6": op.page([]string{"f"}, "t5"),
	}))
	c := newTestClient(t, srv.URL, srv.Client())
	got, err := op.all(context.Background(), c.Client, "t5", 0)
	if !errors.Is(err, ErrRepeatedPageToken) {
		t.Errorf("error %v, want ErrRepeatedPageToken", err)
	}
	if diff := cmp.Diff([]string{"e", "f"}, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"t5", "t6"}, tokensSent(t, rec)); diff != "" {
		t.Errorf("tokens sent (-want +got):\n%s", diff)
	}
}

// TestPaginationBreakAndErrors: breaking out reads no further page; a failed
// page ends the loop with the service's error, once.
func TestPaginationBreakAndErrors(t *testing.T) {
	op := pagedOps[2]
	rec, srv := newRecorder(t, pager(t, map[string]string{
		"":   op.page([]string{"a", "b"}, "t1"),
		"t1": op.page([]string{"c"}, "gone"), // "gone" is answered with a ValidationException
	}))
	c := newTestClient(t, srv.URL, srv.Client())
	got, err := op.all(context.Background(), c.Client, "", 2)
	if err != nil || len(got) != 2 {
		t.Fatalf("break after 2: %v %v", got, err)
	}
	if n := len(rec.recorded()); n != 1 {
		t.Errorf("%d requests after a break on the first page, want 1", n)
	}
	var errs int
	var items []string
	for j, err := range c.AllModelInvocationJobs(context.Background(), nil) {
		if err != nil {
			errs++
			if !IsValidation(err) || !strings.Contains(err.Error(), `bad token 'gone'`) {
				t.Errorf("error %v, want the service's ValidationException", err)
			}
			continue
		}
		items = append(items, j.JobARN)
	}
	if errs != 1 || len(items) != 3 {
		t.Errorf("%d errors and items %v, want 1 error after a, b, c", errs, items)
	}
	// The context ends the listing too.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for _, err := range c.AllModelInvocationJobs(ctx, nil) {
		if !errors.Is(err, context.Canceled) {
			t.Errorf("cancelled context: %v", err)
		}
	}
}

// TestRerankPagination: Rerank pages through its body's nextToken.
func TestRerankPagination(t *testing.T) {
	rec := &recorder{}
	rec.responders = []http.HandlerFunc{func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		reqs := rec.recorded() // the recorder has consumed r.Body
		var body struct {
			NextToken string `json:"nextToken"`
		}
		json.Unmarshal(reqs[len(reqs)-1].Body, &body)
		switch body.NextToken {
		case "":
			w.Write([]byte(`{"results":[{"index":2,"relevanceScore":0.9},{"index":0,"relevanceScore":0.5}],"nextToken":"r2"}`))
		case "r2":
			w.Write([]byte(`{"results":[{"index":1,"relevanceScore":0.1}],"nextToken":"r2"}`))
		}
	}}
	srv := httptest.NewServer(rec)
	t.Cleanup(srv.Close)
	c := newSigV4TestClient(t, srv.URL, srv.Client())
	var got []int
	var err error
	for r, e := range c.AllRerankResults(context.Background(), &RerankInput{ModelID: "amazon.rerank-v1:0", Query: "q",
		Sources: []RerankDocument{RerankText("a"), RerankText("b"), RerankText("c")}}) {
		if e != nil {
			err = e
			break
		}
		got = append(got, r.Index)
	}
	if diff := cmp.Diff([]int{2, 0, 1}, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if !errors.Is(err, ErrRepeatedPageToken) {
		t.Errorf("error %v, want ErrRepeatedPageToken", err)
	}
	if n := len(rec.recorded()); n != 2 {
		t.Errorf("%d requests, want 2", n)
	}
}

// tokensSent lists the nextToken of each recorded request.
func tokensSent(t *testing.T, rec *recorder) []string {
	var out []string
	for _, r := range rec.recorded() {
		u, err := url.ParseRequestURI(r.RequestURI)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, u.Query().Get("nextToken"))
	}
	return out
}
