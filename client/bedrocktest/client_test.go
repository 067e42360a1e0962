package bedrocktest_test

import (
	"context"
	"testing"
	"time"

	"github.com/bedrockwire/bedrockwire/client"
	"github.com/bedrockwire/bedrockwire/client/bedrocktest"
)

// TestClientCorrectsClockSkew: the emulator's clock is 40 minutes ahead;
// the client's first signature is refused as expired, and the client
// retries with the time from the emulator's Date header.
func TestClientCorrectsClockSkew(t *testing.T) {
	srv := bedrocktest.NewServer(&bedrocktest.Options{Clock: func() time.Time { return time.Now().Add(40 * time.Minute) }})
	defer srv.Close()
	c := newClient(srv, client.RetryPolicy{})
	out, err := c.Converse(context.Background(), &client.ConverseInput{ModelID: "amazon.nova-lite-v1:0", Messages: userText("skewed")})
	if err != nil {
		t.Fatal(err)
	}
	if out.Text() != "You said: skewed" {
		t.Errorf("reply %q", out.Text())
	}
	reqs := srv.Requests()
	if len(reqs) != 2 || reqs[0].ErrorType != "InvalidSignatureException" || reqs[1].Status != 200 {
		for _, r := range reqs {
			t.Logf("%s %d %s", r.Operation, r.Status, r.ErrorType)
		}
		t.Errorf("want a refused then an accepted request")
	}
}

// TestClientRetriesThrottling: the client's standard retry mode gets
// through two throttled attempts.
func TestClientRetriesThrottling(t *testing.T) {
	srv := bedrocktest.NewServer(nil)
	defer srv.Close()
	c := newClient(srv, client.RetryPolicy{MaxBackoff: time.Millisecond})
	srv.Throttle(2)
	if _, err := c.Converse(context.Background(), &client.ConverseInput{ModelID: "amazon.nova-lite-v1:0", Messages: userText("x")}); err != nil {
		t.Fatal(err)
	}
	if n := len(srv.Requests()); n != 3 {
		t.Errorf("%d attempts, want 3", n)
	}
}
