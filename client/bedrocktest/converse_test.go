package bedrocktest

import (
	"net/http"
	"testing"
)

const novaPath = "/model/amazon.nova-lite-v1%3A0"

func TestConverseSmoke(t *testing.T) {
	s := newServer(t, nil)
	resp, body := send(t, s, http.MethodPost, novaPath+"/converse", `{"messages":[{"role":"user","content":[{"text":"Hello there"}]}]}`)
	if resp.StatusCode != 200 {
		t.Fatalf("status %d: %s", resp.StatusCode, body)
	}
	t.Logf("%s", body)
	t.Logf("%v", resp.Header)
}
