package client

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// ErrNotCompleted is what the waiters return, wrapped, for an invocation or
// job that ended without completing (failed, stopped, expired). The error
// text carries the service's message.
var ErrNotCompleted = errors.New("ended without completing")

// Default delays of WaitAsyncInvoke and WaitModelInvocationJob.
const (
	DefaultAsyncMinDelay = 2 * time.Second
	DefaultAsyncMaxDelay = 30 * time.Second
	DefaultJobMinDelay   = 10 * time.Second
	DefaultJobMaxDelay   = 2 * time.Minute
)

// WaitAsyncInvokeOptions tunes WaitAsyncInvoke. The zero value (or nil)
// polls after DefaultAsyncMinDelay, doubling the delay up to
// DefaultAsyncMaxDelay.
type WaitAsyncInvokeOptions struct {
	// MinDelay is the delay before the second poll (the first is at once);
	// each following delay doubles, up to MaxDelay.
	MinDelay time.Duration
	MaxDelay time.Duration
	// Progress, when set, is called with the state after every poll,
	// including the last.
	Progress func(*AsyncInvoke)
}

// WaitAsyncInvoke polls GetAsyncInvoke until the invocation has completed
// or failed, with a delay that doubles from opts.MinDelay to opts.MaxDelay.
// It returns the final state; for a failed invocation, the state together
// with an error wrapping ErrNotCompleted. Bound the wait with ctx: when ctx
// is done it returns the last state it read and the context's error.
// Errors of GetAsyncInvoke end the wait (after the client's own retries of
// throttling and transient failures).
func (c *Client) WaitAsyncInvoke(ctx context.Context, invocationARN string, opts *WaitAsyncInvokeOptions) (*AsyncInvoke, error) {
	var o WaitAsyncInvokeOptions
	if opts != nil {
		o = *opts
	}
	return poll(ctx, c, "WaitAsyncInvoke", pollDelays{o.MinDelay, o.MaxDelay, DefaultAsyncMinDelay, DefaultAsyncMaxDelay},
		func(ctx context.Context) (*AsyncInvoke, error) { return c.GetAsyncInvoke(ctx, invocationARN) },
		func(a *AsyncInvoke) (bool, error) {
			switch a.Status {
			case AsyncInvokeCompleted:
				return true, nil
			case AsyncInvokeFailed:
				msg := a.FailureMessage
				if msg == "" {
					msg = "no failure message"
				}
				return true, fmt.Errorf("bedrock: async invocation %s %w: %s: %s", a.InvocationARN, ErrNotCompleted, a.Status, msg)
			}
			return false, nil
		}, o.Progress)
}

// pollDelays are a waiter's delays, with their defaults.
type pollDelays struct {
	min, max, defMin, defMax time.Duration
}

// poll calls get until done says the state is final, sleeping (with the
// client's sleep, which tests replace) between calls with capped exponential
// backoff. progress, when set, sees every state.
func poll[T any](ctx context.Context, c *Client, op string, d pollDelays, get func(context.Context) (*T, error),
	done func(*T) (bool, error), progress func(*T)) (*T, error) {
	minDelay, maxDelay := d.min, d.max
	if minDelay <= 0 {
		minDelay = d.defMin
	}
	if maxDelay <= 0 {
		maxDelay = max(d.defMax, minDelay)
	}
	if maxDelay < minDelay {
		return nil, fmt.Errorf("bedrock %s: MaxDelay %v is shorter than MinDelay %v", op, maxDelay, minDelay)
	}
	var last *T
	delay := minDelay
	for {
		state, err := get(ctx)
		if err != nil {
			if ctx.Err() != nil && last != nil {
				return last, err
			}
			return nil, err
		}
		last = state
		if progress != nil {
			progress(state)
		}
		if final, err := done(state); final {
			return state, err
		}
		if err := c.sleep(ctx, delay); err != nil {
			return last, fmt.Errorf("bedrock %s: %w", op, err)
		}
		delay = min(2*delay, maxDelay)
	}
}
