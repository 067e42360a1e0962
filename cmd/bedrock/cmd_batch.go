package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/bedrockwire/bedrockwire/client"
	"github.com/bedrockwire/bedrockwire/modelspec"
)

func init() {
	register(&command{name: "batch", summary: "batch inference: write the JSONL input, submit a job, follow it", run: runBatch})
}

const batchSynopsis = "bedrock batch prepare|submit|status|wait|stop|results [flags] [arguments]"

const batchHelp = `NAME
    bedrock batch — batch inference jobs (CreateModelInvocationJob and friends)

SYNOPSIS
    bedrock batch prepare -m MODEL [-s SYSTEM] [--max-tokens N] [--json] [--converse] [-o FILE] [INPUT|-]
    bedrock batch submit -m MODEL --name NAME --role ARN --input s3://… --output s3://…
    bedrock batch status [JOB]
    bedrock batch wait JOB [--interval D] [--max-interval D]
    bedrock batch stop JOB
    bedrock batch results FILE.jsonl.out [--manifest manifest.json.out] [--json]

DESCRIPTION
    A batch job runs a model over a file of records in S3, at a lower price
    than on-demand calls, and writes the results next to it. The steps:

      1. prepare writes the input file: JSON Lines, one record per line,
         {"recordId":"REC00000001","modelInput":{...}}. Each line of INPUT
         (or stdin) is one prompt, turned into the model's own request body
         (Anthropic Claude, Amazon Nova, Titan Text, Meta Llama, Mistral);
         with --json each line is already a model input (a JSON object), or a
         whole record with its own recordId. With --converse the model input
         is a Converse request instead, for jobs submitted with --converse.
      2. Upload the file to S3 yourself, e.g.
             aws s3 cp records.jsonl s3://my-bucket/batch/records.jsonl
         This tool does not upload: it has no S3 client.
      3. submit creates the job, reading that file, and prints the job ARN.
         The role is an IAM service role Bedrock assumes to read the input
         and write the output.
      4. status prints a job (or, without JOB, lists jobs); wait polls until
         the job has ended, showing the record counts on a terminal; stop
         asks the service to stop a job.
      5. Download the output (records.jsonl.out, manifest.json.out) from
         the output prefix; results reads it: one line per record, "ok" or
         the record's error, then the counts on stderr. With --json, one
         JSON object per record: {"recordId","modelOutput"} or
         {"recordId","error":{"code","message"}}, for jq.

    The service sets a minimum (and a maximum) number of records per job
    as service quotas; prepare warns when the file looks too small.
    JOB is a job ARN or its 12-character ID. wait exits 1 when the job
    failed, was stopped or expired; a partially completed job is success,
    with its error count printed.

OPTIONS (prepare)
    -m, --model ID        model whose request format to write (required
                          unless --json)
    -s, --system TEXT     system prompt for every record
    --max-tokens N        output token limit per record (default 1024)
    --json                each input line is a model input or a record
    --converse            write Converse requests (submit with --converse)
    -o, --output FILE     write the JSONL to FILE (default stdout)

OPTIONS (submit)
    -m, --model ID        model or inference profile ID (required)
    --name NAME           job name (required)
    --role ARN            IAM service role ARN (required)
    --input URI           s3:// URI of the JSONL file or prefix (required)
    --output URI          s3:// prefix for the results (required)
    --timeout-hours N     24 to 168
    --converse            the records are Converse requests
    --kms-key ID          KMS key that encrypts the output
    --subnet ID, --security-group ID
                          run in a VPC; repeatable
    --tag KEY=VALUE       tag the job; repeatable
    --token T             client request token (default: a random UUID)
    --wait                wait for the job to end, as wait does

OPTIONS (status without JOB)
    --status S            Submitted, InProgress, Completed, Failed, ...
    --name-contains S     jobs whose name contains S
    --max N               list at most N jobs

OPTIONS (results)
    --manifest FILE       also print the job's manifest.json.out counts

OPTIONS (wait, submit --wait)
    --interval D          first delay between polls (default 10s)
    --max-interval D      longest delay between polls (default 2m0s)

    --json                print JSON instead of text

` + globalHelp + `
EXAMPLES
    bedrock batch prepare -m anthropic.claude-3-5-haiku-20241022-v1:0 -o records.jsonl prompts.txt
    aws s3 cp records.jsonl s3://my-bucket/batch/records.jsonl
    bedrock batch submit -m anthropic.claude-3-5-haiku-20241022-v1:0 --name nightly \
        --role arn:aws:iam::123456789012:role/BedrockBatch \
        --input s3://my-bucket/batch/records.jsonl --output s3://my-bucket/batch/out/
    bedrock batch wait abcdefghij12
    bedrock batch status --status InProgress
    aws s3 cp s3://my-bucket/batch/out/abcdefghij12/records.jsonl.out .
    bedrock batch results records.jsonl.out --json | jq -r .modelOutput.output.message.content[0].text
`

func runBatch(ctx context.Context, e *env, args []string) int {
	if len(args) == 0 {
		fmt.Fprintf(e.stderr, "usage: %s\nRun 'bedrock batch --help' for details.\n", batchSynopsis)
		return exitUsage
	}
	switch args[0] {
	case "-h", "-help", "--help", "help":
		io.WriteString(e.stdout, batchHelp)
		return exitOK
	case "prepare":
		return runBatchPrepare(ctx, e, args[1:])
	case "submit":
		return runBatchSubmit(ctx, e, args[1:])
	case "status":
		return runBatchStatus(ctx, e, args[1:])
	case "wait":
		return runBatchWait(ctx, e, args[1:])
	case "stop":
		return runBatchStop(ctx, e, args[1:])
	case "results":
		return runBatchResults(ctx, e, args[1:])
	}
	fmt.Fprintf(e.stderr, "bedrock batch: unknown subcommand %q\nusage: %s\n", args[0], batchSynopsis)
	return exitUsage
}

// batchMinRecords is the default quota of records per job below which
// prepare warns.
const batchMinRecords = 100

// batchMaxLine bounds one input line of prepare.
const batchMaxLine = 16 << 20

func runBatchPrepare(ctx context.Context, e *env, args []string) int {
	fs := cliFlagSet(e, "batch")
	var model, system, output string
	addModelFlag(fs, &model)
	fs.StringVar(&system, "system", "", "system prompt")
	fs.StringVar(&system, "s", "", "system prompt")
	fs.StringVar(&output, "output", "", "output file")
	fs.StringVar(&output, "o", "", "output file")
	maxTokens := fs.Int("max-tokens", 1024, "output token limit per record")
	asJSON := fs.Bool("json", false, "input lines are model inputs or records")
	converse := fs.Bool("converse", false, "write Converse requests")
	pos, code, done := cliStart(e, fs, args, batchHelp, "bedrock batch prepare -m MODEL [-s SYSTEM] [--max-tokens N] [--json] [--converse] [-o FILE] [INPUT|-]")
	if done {
		return code
	}
	fail := func(err error) int { return cliFail(ctx, e, "batch", err) }
	switch {
	case len(pos) > 1:
		return fail(usageError("prepare reads one INPUT file (or stdin)"))
	case model == "" && !*asJSON:
		return fail(usageError("prepare needs -m MODEL to write its request format (or --json)"))
	case *maxTokens < 1:
		return fail(usageError("--max-tokens must be at least 1"))
	case *asJSON && (system != "" || *converse):
		return fail(usageError("with --json the lines are the model inputs: -s and --converse do not apply"))
	}
	var build func(prompt string) (any, error)
	if !*asJSON {
		var err error
		if build, err = batchPromptBuilder(model, system, *maxTokens, *converse); err != nil {
			return fail(err)
		}
	}
	var in io.Reader = e.stdin
	inName := "stdin"
	if len(pos) == 1 && pos[0] != "-" {
		f, err := os.Open(pos[0])
		if err != nil {
			return fail(err)
		}
		defer f.Close()
		in, inName = f, pos[0]
	}
	var out io.Writer = e.stdout
	var file *os.File
	if output != "" && output != "-" {
		f, err := os.Create(output)
		if err != nil {
			return fail(err)
		}
		file = f
		out = f
	}
	bw := bufio.NewWriter(out)
	n, err := batchWriteRecords(bw, in, inName, build)
	if err == nil {
		err = bw.Flush()
	}
	if file != nil {
		if cerr := file.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			os.Remove(output)
		}
	}
	if err != nil {
		return fail(err)
	}
	if n == 0 {
		return fail(fmt.Errorf("%s holds no records", inName))
	}
	where := "stdout"
	if file != nil {
		where = output
	}
	fmt.Fprintf(e.stderr, "bedrock batch: wrote %d records to %s\n", n, where)
	if n < batchMinRecords {
		fmt.Fprintf(e.stderr, "bedrock batch: warning: jobs need a minimum number of records (a service quota, %d by default)\n", batchMinRecords)
	}
	if file != nil {
		fmt.Fprintf(e.stderr, "bedrock batch: next, upload it (aws s3 cp %s s3://BUCKET/PREFIX/) and run bedrock batch submit\n", output)
	}
	return exitOK
}

// batchWriteRecords turns each non-blank line of in into a record: a prompt
// through build, or (build nil) a JSON model input or record.
func batchWriteRecords(w io.Writer, in io.Reader, inName string, build func(string) (any, error)) (int, error) {
	rw := client.NewBatchRecordWriter(w)
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 0, 64<<10), batchMaxLine)
	line := 0
	for sc.Scan() {
		line++
		text := strings.TrimSpace(sc.Text())
		if text == "" {
			continue
		}
		var (
			id    string
			input any
			err   error
		)
		if build != nil {
			input, err = build(text)
		} else {
			id, input, err = batchParseJSONLine([]byte(text))
		}
		if err == nil {
			err = rw.Write(id, input)
		}
		if err != nil {
			return rw.Count(), fmt.Errorf("%s:%d: %w", inName, line, err)
		}
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return rw.Count(), fmt.Errorf("%s:%d: line longer than %d MB", inName, line+1, batchMaxLine>>20)
		}
		return rw.Count(), fmt.Errorf("reading %s: %w", inName, err)
	}
	return rw.Count(), nil
}

// batchParseJSONLine reads one --json input line: a record
// ({"recordId":…,"modelInput":{…}}, nothing else) or a model input.
func batchParseJSONLine(b []byte) (id string, input json.RawMessage, err error) {
	if !json.Valid(b) {
		return "", nil, errors.New("not valid JSON")
	}
	var rec map[string]json.RawMessage
	if json.Unmarshal(b, &rec) != nil {
		return "", nil, errors.New("not a JSON object")
	}
	mi, hasInput := rec["modelInput"]
	rid, hasID := rec["recordId"]
	if !hasInput || len(rec) > 2 || (len(rec) == 2 && !hasID) {
		return "", b, nil // a model input
	}
	if hasID {
		if err := json.Unmarshal(rid, &id); err != nil || id == "" {
			return "", nil, errors.New(`"recordId" is not a non-empty string`)
		}
	}
	return id, mi, nil
}

// batchPromptBuilder returns how a prompt becomes a model input for model.
func batchPromptBuilder(model, system string, maxTokens int, converse bool) (func(string) (any, error), error) {
	if converse {
		type text struct {
			Text string `json:"text"`
		}
		type message struct {
			Role    string `json:"role"`
			Content []text `json:"content"`
		}
		type request struct {
			Messages        []message      `json:"messages"`
			System          []text         `json:"system,omitempty"`
			InferenceConfig map[string]int `json:"inferenceConfig"`
		}
		return func(p string) (any, error) {
			r := request{Messages: []message{{"user", []text{{p}}}}, InferenceConfig: map[string]int{"maxTokens": maxTokens}}
			if system != "" {
				r.System = []text{{system}}
			}
			return r, nil
		}, nil
	}
	format, err := modelspec.TextFormatOf(model)
	if err != nil {
		return nil, usageError("%s: %v; give model inputs with --json, or write Converse requests with --converse", model, strings.TrimPrefix(err.Error(), "modelspec: "))
	}
	turns := func(p string) []modelspec.PromptTurn {
		var t []modelspec.PromptTurn
		if system != "" {
			t = append(t, modelspec.PromptTurn{Role: "system", Content: system})
		}
		return append(t, modelspec.PromptTurn{Role: "user", Content: p})
	}
	switch format {
	case modelspec.TextFormatAnthropic:
		return func(p string) (any, error) {
			r := modelspec.AnthropicRequest{MaxTokens: maxTokens, Messages: []modelspec.AnthropicMessage{{Role: "user", Content: []modelspec.AnthropicContent{modelspec.AnthropicText(p)}}}}
			if system != "" {
				r.System = []modelspec.AnthropicContent{modelspec.AnthropicText(system)}
			}
			return r, nil
		}, nil
	case modelspec.TextFormatNova:
		return func(p string) (any, error) {
			r := modelspec.NovaRequest{Messages: []modelspec.NovaMessage{{Role: "user", Content: []modelspec.NovaContent{{Text: p}}}},
				InferenceConfig: &modelspec.NovaInferenceConfig{MaxTokens: maxTokens}}
			if system != "" {
				r.System = []modelspec.NovaSystemBlock{{Text: system}}
			}
			return r, nil
		}, nil
	case modelspec.TextFormatTitan:
		return func(p string) (any, error) {
			if system != "" {
				p = system + "\n\n" + p
			}
			return modelspec.TitanTextRequest{InputText: p, TextGenerationConfig: &modelspec.TitanTextGenerationConfig{MaxTokenCount: maxTokens}}, nil
		}, nil
	case modelspec.TextFormatLlama:
		return func(p string) (any, error) {
			prompt, err := modelspec.LlamaPrompt(model, turns(p))
			if err != nil {
				return nil, err
			}
			return modelspec.LlamaRequest{Prompt: prompt, MaxGenLen: maxTokens}, nil
		}, nil
	case modelspec.TextFormatMistral:
		return func(p string) (any, error) {
			prompt, err := modelspec.MistralPrompt(turns(p))
			if err != nil {
				return nil, err
			}
			return modelspec.MistralRequest{Prompt: prompt, MaxTokens: maxTokens}, nil
		}, nil
	}
	return nil, usageError("prepare cannot write %s requests (%s) from prompts; give model inputs with --json, or write Converse requests with --converse", model, format)
}

func runBatchSubmit(ctx context.Context, e *env, args []string) int {
	fs := cliFlagSet(e, "batch")
	g := addGlobalFlags(fs)
	var model, name, role, input, output, kmsKey, token string
	var tags, subnets, groups stringList
	addModelFlag(fs, &model)
	fs.StringVar(&name, "name", "", "job name")
	fs.StringVar(&role, "role", "", "IAM service role ARN")
	fs.StringVar(&input, "input", "", "s3:// input URI")
	fs.StringVar(&output, "output", "", "s3:// output prefix")
	fs.StringVar(&kmsKey, "kms-key", "", "KMS key")
	fs.StringVar(&token, "token", "", "client request token")
	fs.Var(&tags, "tag", "KEY=VALUE tag")
	fs.Var(&subnets, "subnet", "VPC subnet ID")
	fs.Var(&groups, "security-group", "VPC security group ID")
	timeout := fs.Int("timeout-hours", 0, "24 to 168")
	converse := fs.Bool("converse", false, "records are Converse requests")
	wait := fs.Bool("wait", false, "wait for the job to end")
	asJSON := fs.Bool("json", false, "print JSON")
	wf := addAsyncWaitFlags(fs, client.DefaultJobMinDelay, client.DefaultJobMaxDelay)
	pos, code, done := cliStart(e, fs, args, batchHelp, "bedrock batch submit -m MODEL --name NAME --role ARN --input s3://… --output s3://…")
	if done {
		return code
	}
	fail := func(err error) int { return cliFail(ctx, e, "batch", err) }
	if len(pos) > 0 {
		return fail(usageError("submit takes no arguments (the input is --input s3://…)"))
	}
	for _, f := range []struct{ flag, v string }{{"-m MODEL", model}, {"--name", name}, {"--role", role}, {"--input", input}, {"--output", output}} {
		if f.v == "" {
			return fail(usageError("submit needs %s", f.flag))
		}
	}
	for _, f := range []struct{ flag, v string }{{"--input", input}, {"--output", output}} {
		if !strings.HasPrefix(f.v, "s3://") {
			return fail(usageError("%s %q is not an s3:// URI: upload the file to S3 first", f.flag, f.v))
		}
	}
	if *timeout != 0 && (*timeout < 24 || *timeout > 168) {
		return fail(usageError("--timeout-hours %d is not from 24 to 168", *timeout))
	}
	if (len(subnets) == 0) != (len(groups) == 0) {
		return fail(usageError("a VPC needs both --subnet and --security-group"))
	}
	if err := wf.check(); err != nil {
		return fail(err)
	}
	tagList, err := asyncTags(tags)
	if err != nil {
		return fail(err)
	}
	in := &client.CreateModelInvocationJobInput{
		JobName: name, RoleARN: role, ModelID: model,
		InputDataConfig:        client.BatchS3Input(input),
		OutputDataConfig:       client.ModelInvocationJobOutputDataConfig{S3OutputDataConfig: &client.ModelInvocationJobS3OutputDataConfig{S3URI: output, S3EncryptionKeyID: kmsKey}},
		TimeoutDurationInHours: *timeout,
		Tags:                   tagList,
		ClientRequestToken:     token,
	}
	if *converse {
		in.ModelInvocationType = client.InvocationTypeConverse
	}
	if len(subnets) > 0 {
		in.VPCConfig = &client.VPCConfig{SubnetIDs: subnets, SecurityGroupIDs: groups}
	}
	c, err := g.newClient(ctx, e)
	if err != nil {
		return fail(err)
	}
	out, err := c.CreateModelInvocationJob(ctx, in)
	if err != nil {
		return fail(err)
	}
	if *asJSON && !*wait {
		asyncPrintJSON(e.stdout, map[string]string{"jobArn": out.JobARN, "clientRequestToken": out.ClientRequestToken})
		return exitOK
	}
	if !*asJSON {
		fmt.Fprintln(e.stdout, out.JobARN)
	}
	if !*wait {
		return exitOK
	}
	return batchWaitAndReport(ctx, e, c, out.JobARN, wf, *asJSON)
}

func runBatchStatus(ctx context.Context, e *env, args []string) int {
	fs := cliFlagSet(e, "batch")
	g := addGlobalFlags(fs)
	status := fs.String("status", "", "job status")
	nameContains := fs.String("name-contains", "", "name substring")
	maxN := fs.Int("max", 0, "list at most N")
	asJSON := fs.Bool("json", false, "print JSON")
	pos, code, done := cliStart(e, fs, args, batchHelp, "bedrock batch status [JOB]")
	if done {
		return code
	}
	fail := func(err error) int { return cliFail(ctx, e, "batch", err) }
	if len(pos) > 1 {
		return fail(usageError("status takes at most one JOB"))
	}
	if len(pos) == 1 && (*status != "" || *nameContains != "" || *maxN != 0) {
		return fail(usageError("--status, --name-contains and --max filter the list of jobs: give them without JOB"))
	}
	if *maxN < 0 {
		return fail(usageError("--max must not be negative"))
	}
	c, err := g.newClient(ctx, e)
	if err != nil {
		return fail(err)
	}
	if len(pos) == 1 {
		j, err := c.GetModelInvocationJob(ctx, pos[0])
		if err != nil {
			return fail(err)
		}
		if *asJSON {
			asyncPrintJSON(e.stdout, j)
		} else {
			batchPrintDetails(e.stdout, j)
		}
		return exitOK
	}
	in := &client.ListModelInvocationJobsInput{StatusEquals: *status, NameContains: *nameContains, SortBy: client.SortByCreationTime, SortOrder: client.SortDescending}
	if *maxN > 0 {
		in.MaxResults = min(*maxN, 1000)
	}
	jobs := []client.ModelInvocationJob{}
	for j, err := range c.AllModelInvocationJobs(ctx, in) {
		if err != nil {
			return fail(err)
		}
		jobs = append(jobs, j)
		if len(jobs) == *maxN {
			break
		}
	}
	if *asJSON {
		asyncPrintJSON(e.stdout, jobs)
		return exitOK
	}
	if len(jobs) == 0 {
		fmt.Fprintln(e.stderr, "bedrock batch: no jobs")
		return exitOK
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tSTATUS\tSUBMITTED\tRECORDS\tMODEL\tJOB")
	for i := range jobs {
		j := &jobs[i]
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", j.JobName, j.Status, asyncTime(j.SubmitTime), batchRecords(j), j.ModelID, j.JobARN)
	}
	tw.Flush()
	return exitOK
}

func runBatchWait(ctx context.Context, e *env, args []string) int {
	fs := cliFlagSet(e, "batch")
	g := addGlobalFlags(fs)
	wf := addAsyncWaitFlags(fs, client.DefaultJobMinDelay, client.DefaultJobMaxDelay)
	asJSON := fs.Bool("json", false, "print JSON")
	pos, code, done := cliStart(e, fs, args, batchHelp, "bedrock batch wait JOB [--interval D] [--max-interval D]")
	if done {
		return code
	}
	fail := func(err error) int { return cliFail(ctx, e, "batch", err) }
	if len(pos) != 1 {
		return fail(usageError("wait takes one JOB"))
	}
	if err := wf.check(); err != nil {
		return fail(err)
	}
	c, err := g.newClient(ctx, e)
	if err != nil {
		return fail(err)
	}
	return batchWaitAndReport(ctx, e, c, pos[0], wf, *asJSON)
}

func runBatchStop(ctx context.Context, e *env, args []string) int {
	fs := cliFlagSet(e, "batch")
	g := addGlobalFlags(fs)
	pos, code, done := cliStart(e, fs, args, batchHelp, "bedrock batch stop JOB")
	if done {
		return code
	}
	fail := func(err error) int { return cliFail(ctx, e, "batch", err) }
	if len(pos) != 1 {
		return fail(usageError("stop takes one JOB"))
	}
	c, err := g.newClient(ctx, e)
	if err != nil {
		return fail(err)
	}
	if err := c.StopModelInvocationJob(ctx, pos[0]); err != nil {
		return fail(err)
	}
	fmt.Fprintf(e.stderr, "bedrock batch: stopping %s\n", pos[0])
	return exitOK
}

// batchWaitAndReport waits for a job, showing its status and record counts
// on a terminal, then prints its final state.
func batchWaitAndReport(ctx context.Context, e *env, c *client.Client, job string, wf *asyncWaitFlags, asJSON bool) int {
	p := newAsyncProgress(e, "batch")
	j, err := c.WaitModelInvocationJob(ctx, job, &client.WaitModelInvocationJobOptions{
		MinDelay: wf.interval, MaxDelay: wf.maxInterval,
		Progress: func(j *client.ModelInvocationJob) {
			p.show(fmt.Sprintf("%s · %s records", j.Status, batchRecords(j)))
		},
	})
	p.end()
	if j == nil {
		return cliFail(ctx, e, "batch", err)
	}
	if asJSON {
		asyncPrintJSON(e.stdout, j)
	} else {
		batchPrintDetails(e.stdout, j)
	}
	if err != nil {
		if errors.Is(err, client.ErrNotCompleted) {
			msg := j.Message
			if msg == "" {
				msg = "no message"
			}
			fmt.Fprintf(e.stderr, "bedrock batch: job %s: %s\n", j.Status, msg)
			return exitFailure
		}
		return cliFail(ctx, e, "batch", err)
	}
	return exitOK
}

// batchRecords summarises the record counts: processed/total, and errors.
func batchRecords(j *client.ModelInvocationJob) string {
	if j.TotalRecordCount == nil && j.ProcessedRecordCount == nil {
		return "-"
	}
	n := func(p *int64) string {
		if p == nil {
			return "?"
		}
		return strconv.FormatInt(*p, 10)
	}
	s := n(j.ProcessedRecordCount) + "/" + n(j.TotalRecordCount)
	if j.ErrorRecordCount != nil && *j.ErrorRecordCount > 0 {
		s += " (" + n(j.ErrorRecordCount) + " failed)"
	}
	return s
}

// batchPrintDetails prints one job as aligned NAME value lines.
func batchPrintDetails(w io.Writer, j *client.ModelInvocationJob) {
	var b bytes.Buffer
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	line := func(k, v string) {
		if v != "" {
			fmt.Fprintf(tw, "%s\t%s\n", k, v)
		}
	}
	line("JOB", j.JobARN)
	line("NAME", j.JobName)
	line("STATUS", j.Status)
	line("MESSAGE", j.Message)
	line("MODEL", j.ModelID)
	line("TYPE", j.ModelInvocationType)
	line("RECORDS", batchRecords(j))
	line("SUBMITTED", asyncTime(j.SubmitTime))
	if !j.EndTime.IsZero() {
		line("ENDED", fmt.Sprintf("%s (%s after submission)", asyncTime(j.EndTime), j.EndTime.Sub(j.SubmitTime).Round(time.Second)))
	}
	if !j.JobExpirationTime.IsZero() {
		line("EXPIRES", asyncTime(j.JobExpirationTime))
	}
	if s3 := j.InputDataConfig.S3InputDataConfig; s3 != nil {
		line("INPUT", s3.S3URI)
	}
	if s3 := j.OutputDataConfig.S3OutputDataConfig; s3 != nil {
		line("OUTPUT", s3.S3URI)
	}
	line("ROLE", j.RoleARN)
	tw.Flush()
	w.Write(b.Bytes())
}

func runBatchResults(ctx context.Context, e *env, args []string) int {
	fs := cliFlagSet(e, "batch")
	manifest := fs.String("manifest", "", "manifest.json.out")
	asJSON := fs.Bool("json", false, "one JSON object per record")
	pos, code, done := cliStart(e, fs, args, batchHelp, "bedrock batch results FILE.jsonl.out [--manifest manifest.json.out] [--json]")
	if done {
		return code
	}
	fail := func(err error) int { return cliFail(ctx, e, "batch", err) }
	if len(pos) != 1 {
		return fail(usageError("results reads one output file (or - for stdin)"))
	}
	var in io.Reader = e.stdin
	name := "stdin"
	if pos[0] != "-" {
		f, err := os.Open(pos[0])
		if err != nil {
			return fail(err)
		}
		defer f.Close()
		in, name = f, pos[0]
	}
	out := bufio.NewWriter(e.stdout)
	var ok, failed, unreadable int
	for rec, err := range client.ReadBatchOutput(in) {
		if err != nil {
			if !errors.Is(err, client.ErrBatchOutputLine) {
				out.Flush()
				return fail(fmt.Errorf("%s: %w", name, err))
			}
			unreadable++
			out.Flush()
			fmt.Fprintf(e.stderr, "bedrock batch: %s:%d: %v\n", name, rec.Line, err)
			continue
		}
		if rec.Error != nil {
			failed++
		} else {
			ok++
		}
		if *asJSON {
			type recordError struct {
				Code    int    `json:"code"`
				Message string `json:"message"`
			}
			line := struct {
				RecordID    string          `json:"recordId"`
				ModelOutput json.RawMessage `json:"modelOutput,omitempty"`
				Error       *recordError    `json:"error,omitempty"`
			}{RecordID: rec.RecordID, ModelOutput: rec.ModelOutput}
			if rec.Error != nil {
				line.Error = &recordError{rec.Error.Code, rec.Error.Message}
			}
			b, _ := json.Marshal(line)
			out.Write(append(b, '\n'))
			continue
		}
		id := rec.RecordID
		if id == "" {
			id = "(line " + strconv.Itoa(rec.Line) + ")"
		}
		if rec.Error != nil {
			fmt.Fprintf(out, "%s\tfailed %d: %s\n", id, rec.Error.Code, rec.Error.Message)
		} else {
			fmt.Fprintf(out, "%s\tok\n", id)
		}
	}
	if err := out.Flush(); err != nil {
		return fail(err)
	}
	fmt.Fprintf(e.stderr, "bedrock batch: %d records: %d succeeded, %d failed", ok+failed+unreadable, ok, failed)
	if unreadable > 0 {
		fmt.Fprintf(e.stderr, ", %d unreadable", unreadable)
	}
	fmt.Fprintln(e.stderr)
	if *manifest != "" {
		b, err := os.ReadFile(*manifest)
		if err != nil {
			return fail(err)
		}
		m, err := client.ParseBatchManifest(b)
		if err != nil {
			return fail(fmt.Errorf("%s: %w", *manifest, err))
		}
		fmt.Fprintf(e.stderr, "bedrock batch: manifest: %d of %d records processed, %d succeeded, %d failed; %d input and %d output tokens\n",
			m.ProcessedRecordCount, m.TotalRecordCount, m.SuccessRecordCount, m.ErrorRecordCount, m.InputTokenCount, m.OutputTokenCount)
	}
	if unreadable > 0 {
		return exitFailure
	}
	return exitOK
}
