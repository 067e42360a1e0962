package bedrocktest

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/bedrockwire/bedrockwire/modelspec"
)

// asyncInvocation is one StartAsyncInvoke job. Jobs report InProgress until
// they have been read once with GetAsyncInvoke (or listed), then Completed:
// enough for a client's wait loop to see both states.
type asyncInvocation struct {
	arn, modelArn, token string
	output               json.RawMessage
	submit, end          time.Time
	completed            bool
}

// asyncTimeFormat is how the service writes timestamps (ISO 8601, UTC).
const asyncTimeFormat = "2006-01-02T15:04:05.000Z"

func (a *asyncInvocation) summary() map[string]any {
	out := map[string]any{
		"invocationArn":      a.arn,
		"modelArn":           a.modelArn,
		"clientRequestToken": a.token,
		"status":             "InProgress",
		"submitTime":         a.submit.UTC().Format(asyncTimeFormat),
		"lastModifiedTime":   a.submit.UTC().Format(asyncTimeFormat),
		"outputDataConfig":   a.output,
	}
	if a.token == "" {
		delete(out, "clientRequestToken")
	}
	if a.completed {
		out["status"] = "Completed"
		out["lastModifiedTime"] = a.end.UTC().Format(asyncTimeFormat)
		out["endTime"] = a.end.UTC().Format(asyncTimeFormat)
	}
	return out
}

// startAsyncInvoke answers StartAsyncInvoke.
func (c *call) startAsyncInvoke() {
	var req struct {
		ClientRequestToken string          `json:"clientRequestToken"`
		ModelID            string          `json:"modelId"`
		ModelInput         json.RawMessage `json:"modelInput"`
		OutputDataConfig   *struct {
			S3OutputDataConfig *struct {
				S3URI string `json:"s3Uri"`
			} `json:"s3OutputDataConfig"`
		} `json:"outputDataConfig"`
	}
	if e := c.decodeJSON(&req); e != nil {
		c.fail(e)
		return
	}
	c.s.update(c.rec, func(rec *Request) { rec.ModelID = req.ModelID })
	switch {
	case req.ModelID == "":
		c.fail(ValidationError("1 validation error detected: Value null at 'modelId' failed to satisfy constraint: Member must not be null"))
		return
	case len(req.ModelInput) == 0:
		c.fail(ValidationError("1 validation error detected: Value null at 'modelInput' failed to satisfy constraint: Member must not be null"))
		return
	case req.OutputDataConfig == nil || req.OutputDataConfig.S3OutputDataConfig == nil:
		c.fail(ValidationError("1 validation error detected: Value null at 'outputDataConfig' failed to satisfy constraint: Member must not be null"))
		return
	case !strings.HasPrefix(req.OutputDataConfig.S3OutputDataConfig.S3URI, "s3://"):
		c.fail(ValidationError(fmt.Sprintf("1 validation error detected: Value '%s' at 'outputDataConfig.s3OutputDataConfig.s3Uri' failed to satisfy constraint: Member must satisfy regular expression pattern: s3://[a-z0-9][\\.\\-a-z0-9]{1,61}[a-z0-9](/.*)?", req.OutputDataConfig.S3OutputDataConfig.S3URI)))
		return
	}
	m, e := c.s.resolveModel(req.ModelID, modelspec.StartAsyncInvoke)
	if e != nil {
		c.fail(e)
		return
	}
	output, _ := json.Marshal(req.OutputDataConfig)
	c.s.mu.Lock()
	var job *asyncInvocation
	if req.ClientRequestToken != "" {
		for _, a := range c.s.asyncs {
			if a.token == req.ClientRequestToken {
				job = a
			}
		}
	}
	if job == nil {
		base := m.id
		if m.entry != nil {
			base = m.entry.ID
		}
		job = &asyncInvocation{
			arn:      fmt.Sprintf("arn:aws:bedrock:%s:%s:async-invoke/%012x", c.s.opts.region(), DefaultAccountID, len(c.s.asyncs)+1),
			modelArn: fmt.Sprintf("arn:aws:bedrock:%s::foundation-model/%s", c.s.opts.region(), base),
			token:    req.ClientRequestToken,
			output:   output,
			submit:   c.start,
		}
		c.s.asyncs = append(c.s.asyncs, job)
	}
	arn := job.arn
	c.s.mu.Unlock()
	c.writeJSON(marshal(map[string]any{"invocationArn": arn}))
}

// getAsyncInvoke answers GetAsyncInvoke.
func (c *call) getAsyncInvoke() {
	c.s.mu.Lock()
	var out map[string]any
	for _, a := range c.s.asyncs {
		if a.arn == c.rt.invocationARN {
			out = a.summary()
			c.s.touch(a, c.start)
		}
	}
	c.s.mu.Unlock()
	if out == nil {
		c.fail(ValidationError(fmt.Sprintf("Invocation with ARN %s does not exist.", c.rt.invocationARN)))
		return
	}
	c.writeJSON(marshal(out))
}

// touch completes a job once it has been seen; callers hold s.mu.
func (s *Server) touch(a *asyncInvocation, now time.Time) {
	if !a.completed {
		a.completed = true
		a.end = now
	}
}

// listAsyncInvokes answers ListAsyncInvokes with its filters, sort and
// pagination.
func (c *call) listAsyncInvokes() {
	l, ok := c.parseListing("offset:", true,
		enumParam{key: "statusEquals", allow: []string{"InProgress", "Completed", "Failed"}},
		enumParam{key: "sortBy", allow: []string{"SubmissionTime"}},
		sortOrderParam)
	if !ok {
		return
	}
	status := l.q.Get("statusEquals")

	c.s.mu.Lock()
	var picked []*asyncInvocation
	for _, a := range c.s.asyncs {
		st := "InProgress"
		if a.completed {
			st = "Completed"
		}
		if (status != "" && st != status) || !l.submittedIn(a.submit) {
			continue
		}
		picked = append(picked, a)
	}
	sort.SliceStable(picked, func(i, j int) bool {
		if l.ascending {
			return picked[i].submit.Before(picked[j].submit)
		}
		return picked[i].submit.After(picked[j].submit)
	})
	start, end, next := l.page(len(picked))
	page := picked[start:end]
	sums := make([]any, len(page))
	for i, a := range page {
		sums[i] = a.summary()
	}
	for _, a := range page {
		c.s.touch(a, c.start)
	}
	c.s.mu.Unlock()
	out := map[string]any{"asyncInvokeSummaries": sums}
	if next != "" {
		out["nextToken"] = next
	}
	c.writeJSON(marshal(out))
}
