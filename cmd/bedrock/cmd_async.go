package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/bedrockwire/bedrockwire/client"
	"github.com/bedrockwire/bedrockwire/modelspec"
)

func init() {
	register(&command{name: "async", summary: "start, inspect, list and wait for asynchronous invocations (Nova Reel video, …)", run: runAsync})
}

const asyncSynopsis = "bedrock async start|get|list|wait [flags] [arguments]"

const asyncHelp = `NAME
    bedrock async — asynchronous invocations (StartAsyncInvoke and friends)

SYNOPSIS
    bedrock async start -m MODEL --output s3://BUCKET/PREFIX [--input FILE|-] [PROMPT...]
    bedrock async get ARN
    bedrock async list [--status S] [--after TIME] [--before TIME] [--max N] [--ascending]
    bedrock async wait ARN [--interval D] [--max-interval D]

DESCRIPTION
    Some models run asynchronously: Nova Reel makes videos, Nova multimodal
    embeddings embed long media. The request starts a job that writes its
    output to S3; these commands start one, look at it, list them, and wait
    for one to end.

    start sends the model input read from --input (a JSON file, or - for
    stdin). For Nova Reel models a PROMPT alone is enough: it becomes a
    6-second TEXT_VIDEO request at 1280x720 and 24 fps. The invocation ARN
    is printed on stdout. A client request token (a random UUID unless
    --token gives one) makes the call idempotent: retries of the call reuse
    it, and so can you, to repeat a start safely.

    get prints the state of one invocation; list prints invocations, newest
    first unless --ascending; wait polls until the invocation has completed
    or failed, with a delay that doubles from --interval to --max-interval.
    On a terminal, wait (and start --wait) shows the status on stderr as it
    goes. The exit status of wait is 1 when the invocation failed.

OPTIONS (start)
    -m, --model ID        model ID, e.g. amazon.nova-reel-v1:1 (required)
    --output URI          s3:// prefix for the output (required)
    --input FILE|-        the model input, JSON
    --token T             client request token (default: a random UUID)
    --tag KEY=VALUE       tag the invocation; repeatable
    --kms-key ARN         KMS key that encrypts the output
    --bucket-owner ID     account ID of the output bucket's owner
    --wait                wait for the invocation to end, as wait does

OPTIONS (list)
    --status S            InProgress, Completed or Failed
    --after TIME          submitted after TIME (RFC 3339, or YYYY-MM-DD)
    --before TIME         submitted before TIME
    --max N               list at most N invocations
    --ascending           oldest first

OPTIONS (wait, start --wait)
    --interval D          first delay between polls (default 2s)
    --max-interval D      longest delay between polls (default 30s)

    --json                print JSON (start: the ARN and token; get and wait:
                          the invocation; list: an array)

` + globalHelp + `
EXAMPLES
    bedrock async start -m amazon.nova-reel-v1:1 --output s3://my-bucket/videos/ \
        "A drone shot over a misty forest at dawn"
    bedrock async start -m amazon.nova-reel-v1:1 --output s3://my-bucket/videos/ --input reel.json --wait
    bedrock async list --status InProgress
    bedrock async wait arn:aws:bedrock:us-east-1:123456789012:async-invoke/abcdef123456
`

func runAsync(ctx context.Context, e *env, args []string) int {
	if len(args) == 0 {
		fmt.Fprintf(e.stderr, "usage: %s\nRun 'bedrock async --help' for details.\n", asyncSynopsis)
		return exitUsage
	}
	switch args[0] {
	case "-h", "-help", "--help", "help":
		io.WriteString(e.stdout, asyncHelp)
		return exitOK
	case "start":
		return runAsyncStart(ctx, e, args[1:])
	case "get":
		return runAsyncGet(ctx, e, args[1:])
	case "list":
		return runAsyncList(ctx, e, args[1:])
	case "wait":
		return runAsyncWait(ctx, e, args[1:])
	}
	fmt.Fprintf(e.stderr, "bedrock async: unknown subcommand %q\nusage: %s\n", args[0], asyncSynopsis)
	return exitUsage
}

// asyncWaitFlags are the polling flags of wait and start --wait.
type asyncWaitFlags struct {
	interval, maxInterval time.Duration
}

func addAsyncWaitFlags(fs interface {
	DurationVar(*time.Duration, string, time.Duration, string)
}, def, defMax time.Duration) *asyncWaitFlags {
	w := &asyncWaitFlags{}
	fs.DurationVar(&w.interval, "interval", def, "first delay between polls")
	fs.DurationVar(&w.maxInterval, "max-interval", defMax, "longest delay between polls")
	return w
}

func (w *asyncWaitFlags) check() error {
	if w.interval <= 0 || w.maxInterval <= 0 {
		return usageError("--interval and --max-interval must be positive")
	}
	if w.maxInterval < w.interval {
		return usageError("--max-interval %v is shorter than --interval %v", w.maxInterval, w.interval)
	}
	return nil
}

func runAsyncStart(ctx context.Context, e *env, args []string) int {
	fs := cliFlagSet(e, "async")
	g := addGlobalFlags(fs)
	var model, output, input, token, kmsKey, owner string
	var tags stringList
	addModelFlag(fs, &model)
	fs.StringVar(&output, "output", "", "s3:// output prefix")
	fs.StringVar(&input, "input", "", "model input JSON file, or -")
	fs.StringVar(&token, "token", "", "client request token")
	fs.Var(&tags, "tag", "KEY=VALUE tag")
	fs.StringVar(&kmsKey, "kms-key", "", "KMS key ARN")
	fs.StringVar(&owner, "bucket-owner", "", "bucket owner account ID")
	wait := fs.Bool("wait", false, "wait for the invocation to end")
	asJSON := fs.Bool("json", false, "print JSON")
	wf := addAsyncWaitFlags(fs, client.DefaultAsyncMinDelay, client.DefaultAsyncMaxDelay)
	pos, code, done := cliStart(e, fs, args, asyncHelp, "bedrock async start -m MODEL --output s3://BUCKET/PREFIX [--input FILE|-] [PROMPT...]")
	if done {
		return code
	}
	fail := func(err error) int { return cliFail(ctx, e, "async", err) }
	switch {
	case model == "":
		return fail(usageError("start needs -m MODEL"))
	case output == "":
		return fail(usageError("start needs --output s3://BUCKET/PREFIX for the result"))
	case !strings.HasPrefix(output, "s3://"):
		return fail(usageError("--output %q is not an s3:// URI", output))
	case input != "" && len(pos) > 0:
		return fail(usageError("give --input or a PROMPT, not both"))
	case input == "" && len(pos) == 0:
		return fail(usageError("start needs the model input: --input FILE|-, or a PROMPT for Nova Reel"))
	}
	if err := wf.check(); err != nil {
		return fail(err)
	}
	var modelInput any
	if input != "" {
		body, err := cliReadBody(e, input)
		if err != nil {
			return fail(err)
		}
		if !json.Valid(body) {
			return fail(fmt.Errorf("--input %s is not valid JSON", input))
		}
		modelInput = json.RawMessage(body)
	} else {
		if !strings.Contains(model, "nova-reel") {
			return fail(usageError("a PROMPT alone makes a Nova Reel request; for %s give the model input with --input", model))
		}
		modelInput = modelspec.NovaReelRequest{
			TaskType:              modelspec.ReelTaskTextVideo,
			TextToVideoParams:     &modelspec.NovaReelTextToVideoParams{Text: strings.Join(pos, " ")},
			VideoGenerationConfig: modelspec.NovaReelVideoGenerationConfig{DurationSeconds: 6, FPS: 24, Dimension: "1280x720"},
		}
	}
	tagList, err := asyncTags(tags)
	if err != nil {
		return fail(err)
	}
	c, err := g.newClient(ctx, e)
	if err != nil {
		return fail(err)
	}
	out, err := c.StartAsyncInvoke(ctx, &client.StartAsyncInvokeInput{
		ModelID:    model,
		ModelInput: modelInput,
		OutputDataConfig: client.AsyncInvokeOutputDataConfig{S3OutputDataConfig: &client.AsyncInvokeS3OutputDataConfig{
			S3URI: output, KMSKeyID: kmsKey, BucketOwner: owner}},
		ClientRequestToken: token,
		Tags:               tagList,
	})
	if err != nil {
		return fail(err)
	}
	if !*wait {
		if *asJSON {
			asyncPrintJSON(e.stdout, map[string]string{"invocationArn": out.InvocationARN, "clientRequestToken": out.ClientRequestToken})
		} else {
			fmt.Fprintln(e.stdout, out.InvocationARN)
		}
		return exitOK
	}
	if !*asJSON {
		fmt.Fprintln(e.stdout, out.InvocationARN)
	}
	return asyncWaitAndReport(ctx, e, c, out.InvocationARN, wf, *asJSON)
}

func runAsyncGet(ctx context.Context, e *env, args []string) int {
	fs := cliFlagSet(e, "async")
	g := addGlobalFlags(fs)
	asJSON := fs.Bool("json", false, "print JSON")
	pos, code, done := cliStart(e, fs, args, asyncHelp, "bedrock async get ARN")
	if done {
		return code
	}
	fail := func(err error) int { return cliFail(ctx, e, "async", err) }
	if len(pos) != 1 {
		return fail(usageError("get takes one invocation ARN"))
	}
	c, err := g.newClient(ctx, e)
	if err != nil {
		return fail(err)
	}
	a, err := c.GetAsyncInvoke(ctx, pos[0])
	if err != nil {
		return fail(err)
	}
	if *asJSON {
		asyncPrintJSON(e.stdout, a)
	} else {
		asyncPrintDetails(e.stdout, a)
	}
	return exitOK
}

func runAsyncList(ctx context.Context, e *env, args []string) int {
	fs := cliFlagSet(e, "async")
	g := addGlobalFlags(fs)
	status := fs.String("status", "", "InProgress, Completed or Failed")
	after := fs.String("after", "", "submitted after TIME")
	before := fs.String("before", "", "submitted before TIME")
	maxN := fs.Int("max", 0, "list at most N")
	ascending := fs.Bool("ascending", false, "oldest first")
	asJSON := fs.Bool("json", false, "print JSON")
	pos, code, done := cliStart(e, fs, args, asyncHelp, "bedrock async list [--status S] [--after TIME] [--before TIME] [--max N] [--ascending]")
	if done {
		return code
	}
	fail := func(err error) int { return cliFail(ctx, e, "async", err) }
	if len(pos) > 0 {
		return fail(usageError("list takes no arguments"))
	}
	in := &client.ListAsyncInvokesInput{StatusEquals: *status, SortBy: client.SortBySubmissionTime, SortOrder: client.SortDescending}
	if *ascending {
		in.SortOrder = client.SortAscending
	}
	var err error
	if in.SubmitTimeAfter, err = asyncTimeFlag("--after", *after); err != nil {
		return fail(err)
	}
	if in.SubmitTimeBefore, err = asyncTimeFlag("--before", *before); err != nil {
		return fail(err)
	}
	if *maxN < 0 {
		return fail(usageError("--max must not be negative"))
	}
	if *maxN > 0 {
		in.MaxResults = min(*maxN, 1000)
	}
	c, err := g.newClient(ctx, e)
	if err != nil {
		return fail(err)
	}
	items := []client.AsyncInvoke{}
	for a, err := range c.AllAsyncInvokes(ctx, in) {
		if err != nil {
			return fail(err)
		}
		items = append(items, a)
		if len(items) == *maxN {
			break
		}
	}
	if *asJSON {
		asyncPrintJSON(e.stdout, items)
		return exitOK
	}
	if len(items) == 0 {
		fmt.Fprintln(e.stderr, "bedrock async: no invocations")
		return exitOK
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "STATUS\tSUBMITTED\tMODEL\tINVOCATION\tOUTPUT")
	for _, a := range items {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", a.Status, asyncTime(a.SubmitTime), asyncModelFromARN(a.ModelARN), a.InvocationARN, a.OutputURI())
	}
	tw.Flush()
	return exitOK
}

func runAsyncWait(ctx context.Context, e *env, args []string) int {
	fs := cliFlagSet(e, "async")
	g := addGlobalFlags(fs)
	wf := addAsyncWaitFlags(fs, client.DefaultAsyncMinDelay, client.DefaultAsyncMaxDelay)
	asJSON := fs.Bool("json", false, "print JSON")
	pos, code, done := cliStart(e, fs, args, asyncHelp, "bedrock async wait ARN [--interval D] [--max-interval D]")
	if done {
		return code
	}
	fail := func(err error) int { return cliFail(ctx, e, "async", err) }
	if len(pos) != 1 {
		return fail(usageError("wait takes one invocation ARN"))
	}
	if err := wf.check(); err != nil {
		return fail(err)
	}
	c, err := g.newClient(ctx, e)
	if err != nil {
		return fail(err)
	}
	return asyncWaitAndReport(ctx, e, c, pos[0], wf, *asJSON)
}

// asyncWaitAndReport waits for an invocation, showing progress on a
// terminal, then prints the final state.
func asyncWaitAndReport(ctx context.Context, e *env, c *client.Client, arn string, wf *asyncWaitFlags, asJSON bool) int {
	p := newAsyncProgress(e, "async")
	polls := 0
	a, err := c.WaitAsyncInvoke(ctx, arn, &client.WaitAsyncInvokeOptions{
		MinDelay: wf.interval, MaxDelay: wf.maxInterval,
		Progress: func(a *client.AsyncInvoke) {
			polls++
			p.show(fmt.Sprintf("%s · %s · poll %d", a.Status, asyncModelFromARN(a.ModelARN), polls))
		},
	})
	p.end()
	if a == nil {
		return cliFail(ctx, e, "async", err)
	}
	if asJSON {
		asyncPrintJSON(e.stdout, a)
	} else {
		asyncPrintDetails(e.stdout, a)
	}
	if err != nil {
		if errors.Is(err, client.ErrNotCompleted) {
			fmt.Fprintf(e.stderr, "bedrock async: invocation %s: %s\n", a.Status, a.FailureMessage)
			return exitFailure
		}
		return cliFail(ctx, e, "async", err)
	}
	return exitOK
}

// asyncPrintDetails prints one invocation as aligned NAME value lines.
func asyncPrintDetails(w io.Writer, a *client.AsyncInvoke) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "INVOCATION\t%s\n", a.InvocationARN)
	fmt.Fprintf(tw, "STATUS\t%s\n", a.Status)
	fmt.Fprintf(tw, "MODEL\t%s\n", a.ModelARN)
	fmt.Fprintf(tw, "SUBMITTED\t%s\n", asyncTime(a.SubmitTime))
	if !a.EndTime.IsZero() {
		fmt.Fprintf(tw, "ENDED\t%s (%s after submission)\n", asyncTime(a.EndTime), a.EndTime.Sub(a.SubmitTime).Round(time.Second))
	}
	fmt.Fprintf(tw, "OUTPUT\t%s\n", a.OutputURI())
	if a.FailureMessage != "" {
		fmt.Fprintf(tw, "FAILURE\t%s\n", a.FailureMessage)
	}
	if a.ClientRequestToken != "" {
		fmt.Fprintf(tw, "TOKEN\t%s\n", a.ClientRequestToken)
	}
	tw.Flush()
}

// asyncProgress rewrites one status line on stderr while a command waits,
// when stderr is a terminal; elsewhere it prints nothing.
type asyncProgress struct {
	w     io.Writer
	on    bool
	name  string
	start time.Time
	shown bool
}

func newAsyncProgress(e *env, name string) *asyncProgress {
	return &asyncProgress{w: e.stderr, on: e.stderrTTY, name: name, start: time.Now()}
}

// show replaces the status line with msg and the time waited so far.
func (p *asyncProgress) show(msg string) {
	if !p.on {
		return
	}
	fmt.Fprintf(p.w, "\r\033[K%s: %s · %s", p.name, msg, time.Since(p.start).Truncate(time.Second))
	p.shown = true
}

// end finishes the status line.
func (p *asyncProgress) end() {
	if p.shown {
		io.WriteString(p.w, "\n")
		p.shown = false
	}
}

// asyncTags parses KEY=VALUE tags.
func asyncTags(list []string) ([]client.Tag, error) {
	var tags []client.Tag
	for _, s := range list {
		k, v, ok := strings.Cut(s, "=")
		if !ok || k == "" {
			return nil, usageError("--tag %q is not KEY=VALUE", s)
		}
		tags = append(tags, client.Tag{Key: k, Value: v})
	}
	return tags, nil
}

// asyncTimeFlag parses a time flag: RFC 3339, or a date (midnight UTC).
func asyncTimeFlag(name, s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t, nil
	}
	if t, err := time.Parse("2006-01-02", s); err == nil {
		return t, nil
	}
	return time.Time{}, usageError("%s %q is not a time such as 2026-07-31T12:00:00Z or a date such as 2026-07-31", name, s)
}

// asyncTime formats a service time for a table: UTC, to the second.
func asyncTime(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.UTC().Format("2006-01-02 15:04:05Z")
}

// asyncModelFromARN shortens a foundation-model ARN to the model ID.
func asyncModelFromARN(arn string) string {
	if _, id, ok := strings.Cut(arn, ":foundation-model/"); ok {
		return id
	}
	return arn
}

// asyncPrintJSON prints v as indented JSON.
func asyncPrintJSON(w io.Writer, v any) {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	enc.Encode(v)
}
