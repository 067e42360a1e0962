package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"

	"github.com/bedrockwire/bedrockwire/client"
	"github.com/bedrockwire/bedrockwire/modelspec"
)

func init() {
	register(&command{name: "tokens", summary: "count the input tokens of a prompt or request body (CountTokens)", run: runTokens})
}

const tokensSynopsis = "bedrock tokens -m MODEL [-s SYSTEM] [--file PATH] [PROMPT...] | bedrock tokens -m MODEL --invoke-body FILE|-"

const tokensHelp = `NAME
    bedrock tokens — how many input tokens a request would use

SYNOPSIS
    bedrock tokens -m MODEL [-s SYSTEM] [--file PATH]... [PROMPT...]
    bedrock tokens -m MODEL --invoke-body FILE|-

DESCRIPTION
    Calls CountTokens, which counts without running the model and costs
    nothing. The first form counts a Converse request: PROMPT (or stdin) as
    the user message, with the system prompt and attached files. The second
    counts an InvokeModel request body in the model's own format, read from
    FILE or, with -, from stdin.

    Prints the count on stdout, or {"inputTokens":N} with --json.

    The request flags of bedrock converse (--reasoning-budget, --cache,
    --max-tokens, ...) are accepted too, so that the counted request is
    the one converse would send.

OPTIONS
    -m, --model ID          model ID or inference profile ID (required)
    -s, --system TEXT       system prompt
    --file PATH             attach a file, as bedrock converse does; repeatable
    --invoke-body FILE|-    count this InvokeModel body instead
    --json                  print {"inputTokens":N}

` + globalHelp + `
EXAMPLES
    bedrock tokens -m anthropic.claude-haiku-4-5-20251001-v1:0 "How long is this?"
    bedrock tokens -m anthropic.claude-sonnet-4-5-20250929-v1:0 --file contract.pdf "Summarise"
    bedrock tokens -m anthropic.claude-haiku-4-5-20251001-v1:0 --invoke-body request.json
`

func runTokens(ctx context.Context, e *env, args []string) int {
	fs := cliFlagSet(e, "tokens")
	g := addGlobalFlags(fs)
	cf := addConverseFlags(fs, true)
	invokeBody := fs.String("invoke-body", "", "InvokeModel body to count")
	asJSON := fs.Bool("json", false, "print JSON")
	pos, code, done := cliStart(e, fs, args, tokensHelp, tokensSynopsis)
	if done {
		return code
	}
	fail := func(err error) int { return cliFail(ctx, e, "tokens", err) }
	if err := cf.validate(); err != nil {
		return fail(err)
	}
	if err := cliCheckAPI(cf.model, modelspec.CountTokens); err != nil {
		return fail(err)
	}
	var in client.CountTokensInput
	if *invokeBody != "" {
		if len(pos) > 0 || cf.system != "" || len(cf.files) > 0 {
			return fail(usageError("--invoke-body counts a whole request body: give no prompt, -s or --file with it"))
		}
		body, err := cliReadBody(e, *invokeBody)
		if err != nil {
			return fail(err)
		}
		in = client.InvokeModelTokens{Body: body}
	} else {
		prompt, err := cliPrompt(e, pos)
		if err != nil {
			return fail(err)
		}
		msg, err := cf.firstMessage(prompt)
		if err != nil {
			return fail(err)
		}
		ci, err := cf.input([]client.Message{msg})
		if err != nil {
			return fail(err)
		}
		in = client.ConverseTokens{Messages: ci.Messages, System: ci.System, AdditionalModelRequestFields: ci.AdditionalModelRequestFields}
	}
	c, err := g.newClient(ctx, e)
	if err != nil {
		return fail(err)
	}
	out, err := c.CountTokens(ctx, cf.model, in)
	if err != nil {
		return fail(err)
	}
	if *asJSON {
		b, _ := json.Marshal(out)
		fmt.Fprintf(e.stdout, "%s\n", b)
	} else {
		fmt.Fprintf(e.stdout, "%d\n", out.InputTokens)
	}
	return exitOK
}

// cliReadBody reads a request body from a file, or from stdin for "-".
func cliReadBody(e *env, path string) ([]byte, error) {
	var r io.Reader = e.stdin
	if path != "-" {
		f, err := os.Open(path)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		r = f
	}
	b, err := io.ReadAll(io.LimitReader(r, client.MaxInvokeBody+1))
	if err != nil {
		return nil, fmt.Errorf("reading the body: %w", err)
	}
	if len(b) > client.MaxInvokeBody {
		return nil, fmt.Errorf("the body is larger than %d bytes, the most InvokeModel takes", client.MaxInvokeBody)
	}
	if len(b) == 0 {
		return nil, usageError("the request body is empty")
	}
	return b, nil
}
