package bedrocktest

import (
	"net/http"
	"testing"
)

func TestRerank(t *testing.T) {
	s := newServer(t, nil)
	body := `{"queries":[{"type":"TEXT","textQuery":{"text":"red fox jumps"}}],
		"sources":[
			{"type":"INLINE","inlineDocumentSource":{"type":"TEXT","textDocument":{"text":"A blue whale."}}},
			{"type":"INLINE","inlineDocumentSource":{"type":"TEXT","textDocument":{"text":"The red fox jumps over the dog."}}},
			{"type":"INLINE","inlineDocumentSource":{"type":"JSON","jsonDocument":{"animal":"fox","colour":"red"}}}],
		"rerankingConfiguration":{"type":"BEDROCK_RERANKING_MODEL","bedrockRerankingConfiguration":{
			"modelConfiguration":{"modelArn":"arn:aws:bedrock:us-east-1::foundation-model/amazon.rerank-v1:0"},"numberOfResults":2}}}`
	resp, got := send(t, s, http.MethodPost, "/rerank", body)
	if resp.StatusCode != 200 {
		t.Fatalf("%d %s", resp.StatusCode, got)
	}
	golden(t, "rerank.json", append(got, '\n'))

	r := req(t, s, http.MethodPost, "/rerank", []byte(body))
	r.Header.Set("Authorization", "Bearer "+DefaultAPIKey)
	resp, got = do(t, s, r)
	if status, typ, msg := errorOf(t, resp, got); status != 403 || typ != "AccessDeniedException" || msg != "This operation does not support API Keys" {
		t.Errorf("bearer: %d %s %q", status, typ, msg)
	}
	for _, tc := range []struct{ name, body, msg string }{
		{"not a rerank model", `{"queries":[{"type":"TEXT","textQuery":{"text":"x"}}],"sources":[{"type":"INLINE","inlineDocumentSource":{"type":"TEXT","textDocument":{"text":"y"}}}],
			"rerankingConfiguration":{"type":"BEDROCK_RERANKING_MODEL","bedrockRerankingConfiguration":{"modelConfiguration":{"modelArn":"arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-lite-v1:0"}}}}`,
			"The provided model identifier is invalid."},
		{"no queries", `{"queries":[],"sources":[],"rerankingConfiguration":{}}`,
			"1 validation error detected: Value at 'queries' failed to satisfy constraint: Member must have length between 1 and 1 (got 0)"},
		{"no configuration", `{"queries":[{"type":"TEXT","textQuery":{"text":"x"}}],"sources":[{"type":"INLINE","inlineDocumentSource":{"type":"TEXT","textDocument":{"text":"y"}}}]}`,
			"1 validation error detected: Value null at 'rerankingConfiguration.bedrockRerankingConfiguration.modelConfiguration' failed to satisfy constraint: Member must not be null"},
	} {
		resp, got := send(t, s, http.MethodPost, "/rerank", tc.body)
		if status, typ, msg := errorOf(t, resp, got); status != 400 || typ != "ValidationException" || msg != tc.msg {
			t.Errorf("%s: %d %s %q", tc.name, status, typ, msg)
		}
	}
}
