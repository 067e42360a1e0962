package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"strings"

	"github.com/bedrockwire/bedrockwire/client/bedrocktest"
)

func init() {
	register(&command{name: "serve", summary: "run the local Bedrock emulator (checks signatures like the service)", run: runServe})
}

const serveHelp = `NAME
    bedrock serve — a local Amazon Bedrock Runtime that checks signatures

SYNOPSIS
    bedrock serve [--addr HOST:PORT] [--region REGION] [options]

DESCRIPTION
    Runs the emulator of package client/bedrocktest until interrupted
    (Ctrl-C). It answers every Bedrock Runtime operation with deterministic
    built-in models: a text model that echoes ("You said: …") and calls
    tools, reasons and cites when asked; embedding models; image models that
    return PNGs; a Nova Sonic-like speech model on the bidirectional stream.
    The same endpoint serves the model catalog of the control plane
    (ListFoundationModels, GetFoundationModel, ListInferenceProfiles,
    GetInferenceProfile) and Agent Runtime's Rerank.

    Authentication is checked as the service does it: SigV4 signatures
    (service "bedrock", the region below, a 15-minute clock-skew window,
    the payload hash), presigned URLs, bearer API keys, and the chained
    frame signatures of InvokeModelWithBidirectionalStream. Wrong
    credentials get the service's 403 answers, down to the canonical request
    in an InvalidSignatureException.

    It listens on loopback only, speaking HTTP/1.1 and HTTP/2 without TLS
    (h2c with prior knowledge, which the bidirectional operation needs). On
    start it prints the endpoint, the region and the test credentials it
    accepts; they are the AWS documentation's example keys and work nowhere
    else.

OPTIONS
    --addr HOST:PORT     where to listen (default 127.0.0.1:4566; port 0
                         picks a free one); the host must be a loopback address
    --region REGION      region signatures must be scoped to (default us-east-1)
    --anonymous          also accept requests without any authentication
    --latency D          delay every response by D (e.g. 200ms)
    --pacing D           pause D between two events of a stream
    --no-padding         leave out the "p" padding member of stream events
    --deny WORD          a word guardrails block (ApplyGuardrail, Converse
                         with guardrailConfig); repeatable
    --log                log one line per request to stderr

EXAMPLES
    bedrock serve
    bedrock serve --addr 127.0.0.1:0 --pacing 50ms --deny secret

    # then, in another shell:
    export AWS_ENDPOINT_URL_BEDROCK_RUNTIME=http://127.0.0.1:4566
    export AWS_REGION=us-east-1
    export AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE
    export AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
    bedrock converse -m amazon.nova-lite-v1:0 "Hello"
    aws bedrock-runtime converse --endpoint-url http://127.0.0.1:4566 \
        --model-id amazon.nova-lite-v1:0 \
        --messages '[{"role":"user","content":[{"text":"Hello"}]}]'
`

// serveWords collects a repeatable flag.
type serveWords []string

func (w *serveWords) String() string     { return strings.Join(*w, ",") }
func (w *serveWords) Set(s string) error { *w = append(*w, s); return nil }

func runServe(ctx context.Context, e *env, args []string) int {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {}
	addr := fs.String("addr", "127.0.0.1:4566", "listen address")
	region := fs.String("region", bedrocktest.DefaultRegion, "signing region")
	anonymous := fs.Bool("anonymous", false, "accept unauthenticated requests")
	latency := fs.Duration("latency", 0, "delay before every response")
	pacing := fs.Duration("pacing", 0, "pause between stream events")
	noPadding := fs.Bool("no-padding", false, "no p padding in stream events")
	logRequests := fs.Bool("log", false, "log requests to stderr")
	var deny serveWords
	fs.Var(&deny, "deny", "word guardrails block (repeatable)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			io.WriteString(e.stdout, serveHelp)
			return exitOK
		}
		fmt.Fprintln(e.stderr, "usage: bedrock serve [--addr HOST:PORT] [--region REGION] [options]\nRun 'bedrock serve --help' for details.")
		return exitUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(e.stderr, "bedrock serve: unexpected argument %q\nRun 'bedrock serve --help' for details.\n", fs.Arg(0))
		return exitUsage
	}
	if err := serveCheckAddr(*addr); err != nil {
		fmt.Fprintf(e.stderr, "bedrock serve: %v\n", err)
		return exitUsage
	}
	if *latency < 0 || *pacing < 0 {
		fmt.Fprintln(e.stderr, "bedrock serve: --latency and --pacing must not be negative")
		return exitUsage
	}

	opts := &bedrocktest.Options{
		Region:            *region,
		Anonymous:         *anonymous,
		Latency:           *latency,
		StreamPacing:      *pacing,
		NoPadding:         *noPadding,
		GuardrailDenyList: deny,
	}
	if *logRequests {
		opts.Logger = slog.New(slog.NewTextHandler(e.stderr, nil))
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintf(e.stderr, "bedrock serve: %v\n", err)
		return exitFailure
	}
	s := bedrocktest.NewUnstartedServer(opts)
	s.Listener.Close()
	s.Listener = ln
	s.Start()
	defer s.Close()

	serveBanner(e.stdout, s)
	<-ctx.Done()
	s.Close()
	fmt.Fprintln(e.stderr, "bedrock serve: stopped")
	return exitOK
}

// serveCheckAddr accepts HOST:PORT with a loopback host: the emulator's
// credentials are public, so it must not be reachable from elsewhere.
func serveCheckAddr(addr string) error {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("--addr %q: %v", addr, err)
	}
	if port == "" {
		return fmt.Errorf("--addr %q: no port", addr)
	}
	if host == "localhost" {
		return nil
	}
	ip := net.ParseIP(host)
	if ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("--addr %q: the emulator listens on loopback only (127.0.0.1, ::1 or localhost): its test credentials are public", addr)
	}
	return nil
}

// serveBanner prints how to reach the emulator.
func serveBanner(w io.Writer, s *bedrocktest.Server) {
	c := bedrocktest.DefaultCredentials
	sc := bedrocktest.DefaultSessionCredentials
	fmt.Fprintf(w, `Bedrock Runtime emulator listening (HTTP/1.1 and h2c)

  endpoint           %s
  region             %s
  access key ID      %s
  secret access key  %s
  API key            %s
  session keys       %s / %s
  session token      %s

These are public test credentials; they work only here.

  export AWS_ENDPOINT_URL_BEDROCK_RUNTIME=%s
  export AWS_REGION=%s
  export AWS_ACCESS_KEY_ID=%s
  export AWS_SECRET_ACCESS_KEY=%s
  # or, for bearer auth:
  export AWS_BEARER_TOKEN_BEDROCK=%s

Press Ctrl-C to stop.
`, s.URL, s.Region(), c.AccessKeyID, c.SecretAccessKey, bedrocktest.DefaultAPIKey,
		sc.AccessKeyID, sc.SecretAccessKey, sc.SessionToken,
		s.URL, s.Region(), c.AccessKeyID, c.SecretAccessKey, bedrocktest.DefaultAPIKey)
}
