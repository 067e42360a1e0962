// Command bedrock is a command-line client for Amazon Bedrock built on
// bedrockwire: converse, invoke, embed, sign, decode event streams, and run a
// local emulator, with nothing but the Go standard library.
//
// Each subcommand lives in its own file and registers itself in init with
// register; main only dispatches.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"strings"
)

// Exit codes shared by every subcommand.
const (
	exitOK        = 0
	exitFailure   = 1   // the service or the input said no
	exitUsage     = 2   // bad flags or arguments
	exitInterrupt = 130 // Ctrl-C
)

// env is what a subcommand may touch of the outside world. Tests build one
// with buffers and a fake environment and call run directly.
type env struct {
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	getenv func(string) string
	// stdoutTTY and stderrTTY report whether the streams are terminals.
	stdoutTTY bool
	stderrTTY bool
}

// command is one subcommand of bedrock.
type command struct {
	name    string
	summary string // one line for the command list
	// run executes the subcommand with its arguments (without the name) and
	// returns the process exit code.
	run func(ctx context.Context, e *env, args []string) int
}

var commands = map[string]*command{}

// register adds a subcommand; each command file calls it from init.
func register(c *command) {
	if _, dup := commands[c.name]; dup {
		panic("bedrock: command registered twice: " + c.name)
	}
	commands[c.name] = c
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	e := &env{
		stdin:     os.Stdin,
		stdout:    os.Stdout,
		stderr:    os.Stderr,
		getenv:    os.Getenv,
		stdoutTTY: isTerminal(os.Stdout),
		stderrTTY: isTerminal(os.Stderr),
	}
	code := run(ctx, e, os.Args[1:])
	if ctx.Err() != nil && code != exitOK {
		code = exitInterrupt
	}
	os.Exit(code)
}

// run dispatches args to a subcommand and returns the exit code.
func run(ctx context.Context, e *env, args []string) int {
	if len(args) == 0 {
		usage(e.stderr)
		return exitUsage
	}
	switch args[0] {
	case "-h", "-help", "--help", "help":
		if len(args) > 1 {
			if c, ok := commands[args[1]]; ok {
				return c.run(ctx, e, []string{"--help"})
			}
		}
		usage(e.stdout)
		return exitOK
	}
	c, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(e.stderr, "bedrock: unknown command %q\n\n", args[0])
		usage(e.stderr)
		return exitUsage
	}
	return c.run(ctx, e, args[1:])
}

func usage(w io.Writer) {
	var b strings.Builder
	b.WriteString("bedrock — a small, dependency-free client for Amazon Bedrock\n\n")
	b.WriteString("Usage:\n  bedrock COMMAND [flags] [arguments]\n\nCommands:\n")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(&b, "  %-10s %s\n", n, commands[n].summary)
	}
	b.WriteString("\nRun 'bedrock COMMAND --help' for the flags and examples of one command.\n")
	io.WriteString(w, b.String())
}

// isTerminal reports whether f is a character device (a terminal), without
// any dependency on x/term.
func isTerminal(f *os.File) bool {
	fi, err := f.Stat()
	if err != nil {
		return false
	}
	return fi.Mode()&os.ModeCharDevice != 0
}

// errUsage marks an error caused by bad flags or arguments (exit code 2).
var errUsage = errors.New("usage")
