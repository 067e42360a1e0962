package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/bedrockwire/bedrockwire/client"
	"github.com/bedrockwire/bedrockwire/client/novasonic"
	"github.com/bedrockwire/bedrockwire/modelspec"
	"github.com/bedrockwire/bedrockwire/sigv4/credentials"
)

func init() {
	register(&command{name: "sonic", summary: "speak to Nova Sonic: a WAV question in, transcripts and a WAV answer out", run: runSonic})
}

const sonicSynopsis = "bedrock sonic --in QUESTION.wav [--out ANSWER.wav] [--voice V] [--system TEXT] [-m MODEL]"

const sonicHelp = `NAME
    bedrock sonic — a spoken question to Amazon Nova Sonic, a spoken answer back

SYNOPSIS
    bedrock sonic --in QUESTION.wav [--out ANSWER.wav] [--voice VOICE]
                  [--system TEXT] [-m MODEL] [--realtime] [--silence DURATION]
                  [--timeout DURATION]

DESCRIPTION
    Opens a bidirectional stream (InvokeModelWithBidirectionalStream, HTTP/2)
    with Nova Sonic, sends the system prompt, streams the question from a WAV
    file in 32 ms chunks, then a little silence so that the model hears the
    end of the turn, and waits for the reply. The transcripts of both sides
    are printed on stdout as they arrive ("you:" for what the model heard,
    "sonic:" for what it said); the reply's speech is written to ANSWER.wav
    as 24 kHz 16-bit mono PCM.

    The question must be a 16 kHz, 16-bit, mono PCM WAV file; convert others
    first, for example: sox in.wav -r 16000 -c 1 -b 16 question.wav

    The operation needs SigV4 credentials (an AWS access key, a profile, a
    role): the service does not accept Bedrock API keys for it, so
    AWS_BEARER_TOKEN_BEDROCK is ignored. An http:// endpoint (a local
    emulator) is spoken to over HTTP/2 without TLS (h2c).

OPTIONS
    --in FILE             the question, a 16 kHz 16-bit mono WAV file (required)
    --out FILE            write the answer's audio there as a WAV file
    --voice VOICE         output voice (default matthew; Nova Sonic v1 also has
                          tiffany, amy, ambre, florian, beatrice, lorenzo,
                          greta, lennart, lupe, carlos; Nova 2 Sonic more)
    --system TEXT         system prompt (default: a short friendly assistant)
    -m, --model ID        amazon.nova-2-sonic-v1:0 (default) or amazon.nova-sonic-v1:0
    --realtime            send the audio at its real pace, as a microphone
                          would, instead of as fast as the connection allows
    --silence DURATION    silence sent after the question (default 2s); it
                          stops as soon as the model has answered
    --timeout DURATION    give up when the answer has not come after this long
                          (default 2m)

` + globalHelp + `
EXAMPLES
    bedrock sonic --in question.wav --out answer.wav
    bedrock sonic --in question.wav --out answer.wav --voice tiffany \
        --system "Answer like a pirate."
    AWS_PROFILE=dev bedrock sonic -m amazon.nova-sonic-v1:0 --in q.wav --realtime
`

func runSonic(ctx context.Context, e *env, args []string) int {
	fs := cliFlagSet(e, "sonic")
	g := addGlobalFlags(fs)
	in := fs.String("in", "", "question WAV file")
	out := fs.String("out", "", "answer WAV file")
	voice := fs.String("voice", novasonic.DefaultVoice, "output voice")
	system := fs.String("system", "", "system prompt")
	var model string
	fs.StringVar(&model, "model", novasonic.ModelNova2Sonic, "model ID")
	fs.StringVar(&model, "m", novasonic.ModelNova2Sonic, "model ID")
	realtime := fs.Bool("realtime", false, "pace the audio in real time")
	silence := fs.Duration("silence", 2*time.Second, "silence after the question")
	timeout := fs.Duration("timeout", 2*time.Minute, "time limit for the answer")
	pos, code, done := cliStart(e, fs, args, sonicHelp, sonicSynopsis)
	if done {
		return code
	}
	err := func() error {
		if len(pos) > 0 {
			return usageError("unexpected argument %q", pos[0])
		}
		if *in == "" {
			return usageError("--in QUESTION.wav is required")
		}
		if *silence < 0 || *timeout <= 0 {
			return usageError("--silence must not be negative and --timeout must be positive")
		}
		question, err := sonicReadQuestion(*in)
		if err != nil {
			return err
		}
		c, err := g.sonicClient(ctx, e)
		if err != nil {
			return err
		}
		return sonicConverse(ctx, e, c, question, *out, novasonic.Config{
			ModelID: model, Voice: *voice, System: *system, RealTime: *realtime, TrailingSilence: *silence,
		}, *timeout)
	}()
	return cliFail(ctx, e, "sonic", err)
}

// sonicReadQuestion reads the question WAV file and checks its rate.
func sonicReadQuestion(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	w, err := novasonic.ReadWAV(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if w.SampleRate != novasonic.InputSampleRate {
		return nil, fmt.Errorf("%s: %d Hz audio; Nova Sonic takes %d Hz: resample it first (e.g. sox %s -r 16000 question.wav)",
			path, w.SampleRate, novasonic.InputSampleRate, path)
	}
	if len(w.PCM) == 0 {
		return nil, fmt.Errorf("%s: no audio", path)
	}
	return w.PCM, nil
}

// sonicClient builds a SigV4 client as newClient does, with the Bedrock API
// key out of sight (this operation refuses it) and, for an http:// endpoint,
// an HTTP/2-over-cleartext transport.
func (g *globalFlags) sonicClient(ctx context.Context, e *env) (*client.Client, error) {
	hasBearer := strings.TrimSpace(e.getenv(client.EnvBearerToken)) != ""
	getenv := func(k string) string {
		if k == client.EnvBearerToken {
			return ""
		}
		return e.getenv(k)
	}
	opts := []client.EnvOption{client.WithGetenv(getenv)}
	if g.profile != "" {
		opts = append(opts, client.WithCredentialOptions(credentials.Options{Profile: g.profile, Region: g.region}))
	}
	var logger *slog.Logger
	if g.debug {
		logger = cliDebugLogger(e.stderr)
	}
	opts = append(opts, client.WithOptions(func(o *client.Options) {
		if g.region != "" {
			o.Region = g.region
		}
		if g.endpoint != "" {
			o.Endpoint = g.endpoint
			o.UseFIPS, o.UseDualStack = false, false
		}
		if strings.HasPrefix(o.Endpoint, "http://") {
			tr := &http.Transport{Proxy: http.ProxyFromEnvironment, Protocols: new(http.Protocols)}
			tr.Protocols.SetUnencryptedHTTP2(true)
			o.HTTPClient = &http.Client{Transport: tr}
		}
		o.UserAgent = "bedrock-cli"
		if logger != nil {
			o.Logger = logger
		}
	}))
	c, err := client.FromEnvironment(ctx, opts...)
	if err != nil {
		if hasBearer {
			return nil, fmt.Errorf("Nova Sonic's bidirectional stream needs SigV4 credentials (an AWS access key, a profile or a role); "+
				"%s holds a Bedrock API key, which this operation does not accept: %w", client.EnvBearerToken, err)
		}
		return nil, &cliConfigError{err: err}
	}
	if logger != nil {
		logger.Debug("bedrock client", "region", c.Region(), "endpoint", c.Endpoint(), "client", c.String())
	}
	return c, nil
}

// sonicConverse runs one spoken turn and writes the answer.
func sonicConverse(ctx context.Context, e *env, c *client.Client, question []byte, outPath string, cfg novasonic.Config, timeout time.Duration) error {
	ctx, cancel := context.WithTimeoutCause(ctx, timeout, fmt.Errorf("no answer within %s (--timeout)", timeout))
	defer cancel()
	var (
		mu     sync.Mutex
		answer []byte
	)
	cfg.OnTranscript = func(tr novasonic.Transcript) {
		switch {
		case tr.Role == modelspec.SonicRoleUser:
			fmt.Fprintf(e.stdout, "you: %s\n", tr.Text)
		case tr.Role == modelspec.SonicRoleAssistant && tr.Stage != modelspec.SonicStageSpeculative:
			fmt.Fprintf(e.stdout, "sonic: %s\n", tr.Text)
		}
	}
	cfg.OnAudio = func(pcm []byte) {
		mu.Lock()
		answer = append(answer, pcm...)
		mu.Unlock()
	}
	cfg.OnInterrupted = func() { fmt.Fprintln(e.stdout, "sonic: [interrupted]") }
	s, err := novasonic.Start(ctx, c, cfg)
	if err != nil {
		return err
	}
	if err := s.StreamAudio(ctx, bytes.NewReader(question)); err != nil {
		s.Abort()
		return sonicError(s, err)
	}
	if err := s.WaitReply(ctx, 1); err != nil {
		s.Abort()
		return sonicError(s, err)
	}
	if err := s.Close(ctx); err != nil {
		return err
	}
	mu.Lock()
	defer mu.Unlock()
	if outPath == "" {
		return nil
	}
	if len(answer) == 0 {
		return errors.New("the model sent no audio")
	}
	var buf bytes.Buffer
	if err := novasonic.WriteWAV(&buf, answer, novasonic.OutputSampleRate); err != nil {
		return err
	}
	if err := os.WriteFile(outPath, buf.Bytes(), 0o644); err != nil {
		return err
	}
	fmt.Fprintf(e.stderr, "bedrock sonic: wrote %s (%.1f s of %d Hz audio)\n", outPath,
		float64(len(answer)/2)/novasonic.OutputSampleRate, novasonic.OutputSampleRate)
	return nil
}

// sonicError prefers the error that ended the session over the one a send
// or wait saw as a consequence.
func sonicError(s *novasonic.Session, err error) error {
	if serr := s.Err(); serr != nil {
		return serr
	}
	return err
}
