package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/bedrockwire/bedrockwire/client"
	"github.com/bedrockwire/bedrockwire/modelspec"
)

func init() {
	register(&command{name: "invoke", summary: "send a model-native request body with InvokeModel", run: runInvoke})
}

const invokeSynopsis = "bedrock invoke -m MODEL [--body FILE|-] [--stream [--raw]] [flags]"

const invokeHelp = `NAME
    bedrock invoke — a raw InvokeModel call, in the model's own body format

SYNOPSIS
    ` + invokeSynopsis + `

DESCRIPTION
    Sends the request body from FILE, or from stdin (--body - or no --body),
    exactly as it is, and writes the response body to stdout (indented when
    stdout is a terminal and the body is JSON, as sent otherwise). The token
    counts and invocation latency Bedrock reports in its response headers go
    to stderr as one line (-q leaves it out).

    With --stream the call is InvokeModelWithResponseStream. For the text
    families bedrock knows (Amazon Nova and Titan, Anthropic Claude, Meta
    Llama, Mistral, Cohere, DeepSeek, OpenAI gpt-oss) each chunk is decoded
    and its text written to stdout as it arrives, with reasoning to stderr.
    With --raw every chunk is written as it came, one JSON object per line
    (a chunk that is not JSON is written as {"bytes":"<base64>"}).

OPTIONS
    -m, --model ID           model ID, inference profile ID or ARN (required)
    --body FILE|-            the request body (default: stdin)
    --content-type TYPE      the body's MIME type (default application/json)
    --accept TYPE            the wanted response MIME type
    --stream                 stream the response
    --raw                    with --stream, print the chunks, not their text
    --format F               with --stream, decode chunks as format F, for IDs
                             the catalog cannot place (application inference
                             profiles, imported models): amazon-titan-text,
                             amazon-nova, anthropic-messages, meta-llama,
                             mistral-prompt, mistral-chat, cohere-command,
                             cohere-chat, deepseek-r1, openai-chat
    --guardrail ID:VERSION   apply a guardrail
    -q, --quiet              no usage line on stderr

` + globalHelp + `
EXAMPLES
    bedrock invoke -m anthropic.claude-haiku-4-5-20251001-v1:0 --body claude.json --stream
    echo '{"inputText":"hello"}' | bedrock invoke -m amazon.titan-embed-text-v2:0
    bedrock invoke -m amazon.nova-lite-v1:0 --body nova.json --stream --raw | jq .
`

func runInvoke(ctx context.Context, e *env, args []string) int {
	fs := cliFlagSet(e, "invoke")
	g := addGlobalFlags(fs)
	var model string
	addModelFlag(fs, &model)
	body := fs.String("body", "-", "request body file, - for stdin")
	contentType := fs.String("content-type", "", "body MIME type")
	accept := fs.String("accept", "", "response MIME type")
	stream := fs.Bool("stream", false, "InvokeModelWithResponseStream")
	raw := fs.Bool("raw", false, "print raw chunks")
	format := fs.String("format", "", "text stream format, for IDs the catalog does not know")
	guardrail := fs.String("guardrail", "", "guardrail ID:VERSION")
	var quiet bool
	fs.BoolVar(&quiet, "q", false, "no usage line")
	fs.BoolVar(&quiet, "quiet", false, "no usage line")
	pos, code, done := cliStart(e, fs, args, invokeHelp, invokeSynopsis)
	if done {
		return code
	}
	fail := func(err error) int { return cliFail(ctx, e, "invoke", err) }
	switch {
	case model == "":
		return fail(usageError("a model is required: -m MODEL"))
	case len(pos) > 0:
		return fail(usageError("unexpected argument %q: the body comes from --body FILE or stdin", pos[0]))
	case *raw && !*stream:
		return fail(usageError("--raw goes with --stream; without it the body is printed as it is anyway"))
	}
	api := modelspec.InvokeModel
	if *stream {
		api = modelspec.InvokeModelWithResponseStream
	}
	if err := cliCheckAPI(model, api); err != nil {
		return fail(err)
	}
	in := &client.InvokeModelInput{ModelID: model, ContentType: *contentType, Accept: *accept}
	if *guardrail != "" {
		id, version, err := cliGuardrail(*guardrail)
		if err != nil {
			return fail(err)
		}
		in.GuardrailIdentifier, in.GuardrailVersion = id, version
	}
	var dec *modelspec.TextStreamDecoder
	if *format != "" {
		f, ok := invokeFormats[*format]
		if !ok || !*stream || *raw {
			return fail(usageError("--format %q: want --stream and one of %s", *format, invokeFormatNames()))
		}
		dec = modelspec.NewTextStreamDecoderFor(f)
	}
	if *stream && !*raw && dec == nil {
		var err error
		if dec, err = modelspec.NewTextStreamDecoder(model); err != nil {
			if errors.Is(err, modelspec.ErrNotTextModel) || errors.Is(err, modelspec.ErrUnknownModel) {
				return fail(usageError("%s: no known text stream format for this model; name one with --format, or use --raw to print the chunks", model))
			}
			return fail(usageError("%v", err))
		}
	}
	b, err := cliReadBody(e, *body)
	if err != nil {
		return fail(err)
	}
	in.Body = b
	c, err := g.newClient(ctx, e)
	if err != nil {
		return fail(err)
	}
	if !*stream {
		out, err := c.InvokeModel(ctx, in)
		if err != nil {
			return fail(err)
		}
		isJSON := strings.Contains(out.ContentType, "json")
		var pretty bytes.Buffer
		if isJSON && e.stdoutTTY && json.Indent(&pretty, out.Body, "", "  ") == nil {
			out.Body = pretty.Bytes() // for people; programs get the bytes as sent
		}
		e.stdout.Write(out.Body)
		if len(out.Body) > 0 && out.Body[len(out.Body)-1] != '\n' && isJSON {
			io.WriteString(e.stdout, "\n")
		}
		if !quiet {
			ms := int64(-1)
			if out.InvocationLatency >= 0 {
				ms = out.InvocationLatency.Milliseconds()
			}
			fmt.Fprintln(e.stderr, invokeUsageLine(out.InputTokens, out.OutputTokens, ms))
		}
		return exitOK
	}
	s, err := c.InvokeModelWithResponseStream(ctx, in)
	if err != nil {
		return fail(err)
	}
	defer s.Close()
	var usage modelspec.DeltaUsage
	stop := ""
	lastText, lastReasoning := byte('\n'), byte('\n')
	write := func(d modelspec.Delta) {
		if d.Reasoning != "" {
			io.WriteString(e.stderr, d.Reasoning)
			lastReasoning = d.Reasoning[len(d.Reasoning)-1]
		}
		if d.Text != "" {
			io.WriteString(e.stdout, d.Text)
			lastText = d.Text[len(d.Text)-1]
		}
		if d.StopReason != "" {
			stop = d.StopReason
		}
		if d.Usage != nil {
			usage.InputTokens = max(usage.InputTokens, d.Usage.InputTokens)
			usage.OutputTokens = max(usage.OutputTokens, d.Usage.OutputTokens)
		}
	}
	var line bytes.Buffer
	for s.Next() {
		chunk := s.Event().Bytes
		if *raw {
			line.Reset()
			if json.Compact(&line, chunk) != nil || bytes.ContainsAny(line.Bytes(), "\n") {
				line.Reset()
				fmt.Fprintf(&line, `{"bytes":%q}`, base64.StdEncoding.EncodeToString(chunk))
			}
			line.WriteByte('\n')
			e.stdout.Write(line.Bytes())
			continue
		}
		d, err := dec.Decode(chunk)
		if err != nil {
			return fail(fmt.Errorf("decoding a %s chunk: %w", dec.Format(), err))
		}
		write(d)
	}
	if err := s.Err(); err != nil {
		if lastText != '\n' {
			io.WriteString(e.stdout, "\n")
		}
		return fail(err)
	}
	if dec != nil {
		write(dec.Flush())
	}
	if lastReasoning != '\n' {
		io.WriteString(e.stderr, "\n")
	}
	if lastText != '\n' {
		io.WriteString(e.stdout, "\n")
	}
	if !quiet && !*raw {
		line := fmt.Sprintf("tokens: %d in, %d out", usage.InputTokens, usage.OutputTokens)
		if stop != "" {
			line += "; stop: " + stop
		}
		fmt.Fprintln(e.stderr, line)
	}
	return exitOK
}

// invokeFormats are the --format names.
var invokeFormats = map[string]modelspec.TextFormat{}

func init() {
	for _, f := range []modelspec.TextFormat{
		modelspec.TextFormatTitan, modelspec.TextFormatNova, modelspec.TextFormatAnthropic, modelspec.TextFormatLlama,
		modelspec.TextFormatMistral, modelspec.TextFormatMistralChat, modelspec.TextFormatCohereCommand,
		modelspec.TextFormatCohereChat, modelspec.TextFormatDeepSeek, modelspec.TextFormatOpenAIChat,
	} {
		invokeFormats[string(f)] = f
	}
}

// invokeFormatNames lists the --format names, sorted.
func invokeFormatNames() string {
	names := make([]string, 0, len(invokeFormats))
	for n := range invokeFormats {
		names = append(names, n)
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}

// invokeUsageLine reports the counts of InvokeModel's response headers; -1
// (absent) prints as "?".
func invokeUsageLine(in, out int, latencyMs int64) string {
	n := func(v int64) string {
		if v < 0 {
			return "?"
		}
		return fmt.Sprint(v)
	}
	return fmt.Sprintf("tokens: %s in, %s out; latency %s ms", n(int64(in)), n(int64(out)), n(latencyMs))
}
