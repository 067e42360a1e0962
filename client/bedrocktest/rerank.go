package bedrocktest

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"unicode"

	"github.com/bedrockwire/bedrockwire/modelspec"
)

// OpRerank is Bedrock Agent Runtime's Rerank (POST /rerank on
// bedrock-agent-runtime.{region}.amazonaws.com, SigV4 only), which the
// emulator serves on the same endpoint.
const OpRerank = "Rerank"

// rerank answers Rerank: a document's relevance is the share of the
// query's words it contains (case-insensitive); ties keep the sources'
// order.
func (c *call) rerank() {
	var req struct {
		Queries []struct {
			Type      string `json:"type"`
			TextQuery *struct {
				Text string `json:"text"`
			} `json:"textQuery"`
		} `json:"queries"`
		Sources []struct {
			Type                 string          `json:"type"`
			InlineDocumentSource json.RawMessage `json:"inlineDocumentSource"`
		} `json:"sources"`
		RerankingConfiguration *struct {
			Type                          string `json:"type"`
			BedrockRerankingConfiguration *struct {
				ModelConfiguration *struct {
					ModelArn string `json:"modelArn"`
				} `json:"modelConfiguration"`
				NumberOfResults *int `json:"numberOfResults"`
			} `json:"bedrockRerankingConfiguration"`
		} `json:"rerankingConfiguration"`
	}
	if e := c.decodeJSON(&req); e != nil {
		c.fail(e)
		return
	}
	switch {
	case len(req.Queries) != 1:
		c.fail(ValidationError(fmt.Sprintf("1 validation error detected: Value at 'queries' failed to satisfy constraint: Member must have length between 1 and 1 (got %d)", len(req.Queries))))
		return
	case req.Queries[0].TextQuery == nil || req.Queries[0].TextQuery.Text == "":
		c.fail(ValidationError("1 validation error detected: Value null at 'queries.1.member.textQuery' failed to satisfy constraint: Member must not be null"))
		return
	case len(req.Sources) < 1 || len(req.Sources) > 1000:
		c.fail(ValidationError(fmt.Sprintf("1 validation error detected: Value at 'sources' failed to satisfy constraint: Member must have length between 1 and 1000 (got %d)", len(req.Sources))))
		return
	case req.RerankingConfiguration == nil || req.RerankingConfiguration.BedrockRerankingConfiguration == nil ||
		req.RerankingConfiguration.BedrockRerankingConfiguration.ModelConfiguration == nil:
		c.fail(ValidationError("1 validation error detected: Value null at 'rerankingConfiguration.bedrockRerankingConfiguration.modelConfiguration' failed to satisfy constraint: Member must not be null"))
		return
	}
	cfg := req.RerankingConfiguration.BedrockRerankingConfiguration
	arn := cfg.ModelConfiguration.ModelArn
	c.s.update(c.rec, func(rec *Request) { rec.ModelID = arn })
	if _, err := modelspec.Lookup(arn); err != nil || modelspec.CheckAPI(arn, modelspec.Rerank) != nil {
		c.fail(ValidationError("The provided model identifier is invalid."))
		return
	}
	n := len(req.Sources)
	if cfg.NumberOfResults != nil {
		if *cfg.NumberOfResults < 1 || *cfg.NumberOfResults > 1000 {
			c.fail(ValidationError(fmt.Sprintf("1 validation error detected: Value '%d' at 'rerankingConfiguration.bedrockRerankingConfiguration.numberOfResults' failed to satisfy constraint: Member must have value between 1 and 1000", *cfg.NumberOfResults)))
			return
		}
		n = min(n, *cfg.NumberOfResults)
	}
	query := rerankWords(req.Queries[0].TextQuery.Text)
	type scored struct {
		index int
		score float32
		doc   json.RawMessage
	}
	results := make([]scored, len(req.Sources))
	for i, src := range req.Sources {
		var doc struct {
			Type         string                 `json:"type"`
			TextDocument *struct{ Text string } `json:"textDocument"`
			JSONDocument json.RawMessage        `json:"jsonDocument"`
		}
		if json.Unmarshal(src.InlineDocumentSource, &doc) != nil || doc.Type == "" {
			c.fail(ValidationError(fmt.Sprintf("1 validation error detected: Value null at 'sources.%d.member.inlineDocumentSource.type' failed to satisfy constraint: Member must not be null", i+1)))
			return
		}
		text := string(doc.JSONDocument)
		if doc.TextDocument != nil {
			text = doc.TextDocument.Text
		}
		words := map[string]bool{}
		for _, w := range rerankWords(text) {
			words[w] = true
		}
		hit := 0
		for _, w := range query {
			if words[w] {
				hit++
			}
		}
		score := float32(0)
		if len(query) > 0 {
			score = float32(hit) / float32(len(query))
		}
		results[i] = scored{index: i, score: score, doc: src.InlineDocumentSource}
	}
	sort.SliceStable(results, func(a, b int) bool { return results[a].score > results[b].score })
	out := make([]any, n)
	for i, r := range results[:n] {
		out[i] = obj("document", r.doc, "index", r.index, "relevanceScore", r.score)
	}
	c.writeJSON(marshal(obj("results", out)))
}

// rerankWords are the lower-cased letter-and-digit runs of s.
func rerankWords(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}
