package bedrocktest

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
)

var (
	guardrailIDPattern      = regexp.MustCompile(`^(([a-z0-9]+)|(arn:aws(-[^:]+)?:bedrock:[a-z0-9-]{1,20}:[0-9]{12}:guardrail/[a-z0-9]+))$`)
	guardrailVersionPattern = regexp.MustCompile(`^(DRAFT|[1-9][0-9]{0,7})$`)
)

// applyGuardrail answers ApplyGuardrail: text containing a word of
// Options.GuardrailDenyList makes the guardrail intervene with a word-policy
// assessment; anything else passes.
func (c *call) applyGuardrail() {
	if !guardrailIDPattern.MatchString(c.rt.guardrailID) {
		c.fail(ValidationError(fmt.Sprintf("1 validation error detected: Value '%s' at 'guardrailIdentifier' failed to satisfy constraint: Member must satisfy regular expression pattern: %s", c.rt.guardrailID, guardrailIDPattern.String())))
		return
	}
	if !guardrailVersionPattern.MatchString(c.rt.guardrailVersion) {
		c.fail(ValidationError(fmt.Sprintf("1 validation error detected: Value '%s' at 'guardrailVersion' failed to satisfy constraint: Member must satisfy regular expression pattern: (([1-9][0-9]{0,7})|(DRAFT))", c.rt.guardrailVersion)))
		return
	}
	var req struct {
		Source  *string `json:"source"`
		Content []struct {
			Text *struct {
				Text string `json:"text"`
			} `json:"text"`
			Image json.RawMessage `json:"image"`
		} `json:"content"`
	}
	if e := c.decodeJSON(&req); e != nil {
		c.fail(e)
		return
	}
	if req.Source == nil {
		c.fail(ValidationError("1 validation error detected: Value null at 'source' failed to satisfy constraint: Member must not be null"))
		return
	}
	if *req.Source != "INPUT" && *req.Source != "OUTPUT" {
		c.fail(ValidationError(fmt.Sprintf("1 validation error detected: Value '%s' at 'source' failed to satisfy constraint: Member must satisfy enum value set: [INPUT, OUTPUT]", *req.Source)))
		return
	}
	if req.Content == nil {
		c.fail(ValidationError("1 validation error detected: Value null at 'content' failed to satisfy constraint: Member must not be null"))
		return
	}
	var texts []string
	chars := 0
	for _, b := range req.Content {
		if b.Text != nil {
			texts = append(texts, b.Text.Text)
			chars += len([]rune(b.Text.Text))
		}
	}
	units := (chars + 999) / 1000
	usage := map[string]any{
		"topicPolicyUnits":                    units,
		"contentPolicyUnits":                  units,
		"wordPolicyUnits":                     units,
		"sensitiveInformationPolicyUnits":     units,
		"sensitiveInformationPolicyFreeUnits": 0,
		"contextualGroundingPolicyUnits":      0,
		"contentPolicyImageUnits":             0,
	}
	coverage := map[string]any{"textCharacters": map[string]any{"guarded": chars, "total": chars}}
	metrics := map[string]any{"guardrailProcessingLatency": c.latencyMs(), "usage": usage, "guardrailCoverage": coverage}

	var matches []any
	for _, t := range texts {
		if w := c.s.denied(t); w != "" {
			matches = append(matches, map[string]any{"match": w, "action": "BLOCKED", "detected": true})
		}
	}
	out := map[string]any{
		"usage":             usage,
		"guardrailCoverage": coverage,
	}
	if len(matches) > 0 {
		out["action"] = "GUARDRAIL_INTERVENED"
		out["actionReason"] = "Guardrail blocked."
		out["outputs"] = []any{map[string]any{"text": blockedMessage}}
		out["assessments"] = []any{map[string]any{
			"wordPolicy":        map[string]any{"customWords": matches, "managedWordLists": []any{}},
			"invocationMetrics": metrics,
		}}
	} else {
		out["action"] = "NONE"
		out["actionReason"] = "No action."
		out["outputs"] = []any{}
		out["assessments"] = []any{map[string]any{"invocationMetrics": metrics}}
	}
	c.writeJSON(marshal(out))
}

// invokeGuardrailChecks answers InvokeGuardrailChecks: every requested
// category gets severity 0, or 1 when a message contains a deny-listed
// word.
func (c *call) invokeGuardrailChecks() {
	var req struct {
		Messages []struct {
			Role    string `json:"role"`
			Content []struct {
				Text *struct {
					Text string `json:"text"`
				} `json:"text"`
			} `json:"content"`
		} `json:"messages"`
		Checks *struct {
			ContentFilter *struct {
				Categories []struct {
					Category string `json:"category"`
				} `json:"categories"`
			} `json:"contentFilter"`
			PromptAttack *struct {
				Categories []struct {
					Category string `json:"category"`
				} `json:"categories"`
			} `json:"promptAttack"`
			SensitiveInformation *struct {
				Entities []struct {
					Type string `json:"type"`
				} `json:"entities"`
			} `json:"sensitiveInformation"`
		} `json:"checks"`
	}
	if e := c.decodeJSON(&req); e != nil {
		c.fail(e)
		return
	}
	if req.Messages == nil {
		c.fail(ValidationError("1 validation error detected: Value null at 'messages' failed to satisfy constraint: Member must not be null"))
		return
	}
	if req.Checks == nil {
		c.fail(ValidationError("1 validation error detected: Value null at 'checks' failed to satisfy constraint: Member must not be null"))
		return
	}
	var all strings.Builder
	for _, m := range req.Messages {
		for _, b := range m.Content {
			if b.Text != nil {
				all.WriteString(b.Text.Text + "\n")
			}
		}
	}
	score := 0.0
	if c.s.denied(all.String()) != "" {
		score = 1.0
	}
	units := (len([]rune(all.String())) + 999) / 1000
	results := map[string]any{}
	usage := map[string]any{}
	if cf := req.Checks.ContentFilter; cf != nil {
		var rs []any
		for _, cat := range cf.Categories {
			rs = append(rs, map[string]any{"category": cat.Category, "severityScore": score})
		}
		results["contentFilter"] = map[string]any{"results": nonNil(rs)}
		usage["contentFilter"] = map[string]any{"textUnits": units}
	}
	if pa := req.Checks.PromptAttack; pa != nil {
		var rs []any
		for _, cat := range pa.Categories {
			rs = append(rs, map[string]any{"category": cat.Category, "severityScore": 0.0})
		}
		results["promptAttack"] = map[string]any{"results": nonNil(rs)}
		usage["promptAttack"] = map[string]any{"textUnits": units}
	}
	if req.Checks.SensitiveInformation != nil {
		results["sensitiveInformation"] = map[string]any{"results": []any{}, "truncated": false}
		usage["sensitiveInformation"] = map[string]any{"textUnits": units}
	}
	c.writeJSON(marshal(map[string]any{"results": results, "usage": usage}))
}

func nonNil(s []any) []any {
	if s == nil {
		return []any{}
	}
	return s
}
