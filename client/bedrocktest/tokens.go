package bedrocktest

import (
	"encoding/json"

	"github.com/bedrockwire/bedrockwire/modelspec"
)

// countTokens answers CountTokens with the emulator's tokenizer (one token
// per word) over either input form.
func (c *call) countTokens() {
	m, e := c.s.resolveModel(c.rt.modelID, modelspec.CountTokens)
	if e != nil {
		c.fail(e)
		return
	}
	var req struct {
		Input map[string]json.RawMessage `json:"input"`
	}
	if e := c.decodeJSON(&req); e != nil {
		c.fail(e)
		return
	}
	if req.Input == nil {
		c.fail(ValidationError("1 validation error detected: Value null at 'input' failed to satisfy constraint: Member must not be null"))
		return
	}
	if len(req.Input) != 1 {
		c.fail(ValidationError("The CountTokensInput object at input must set exactly one of the following keys: invokeModel, converse."))
		return
	}
	n := 0
	switch {
	case req.Input["converse"] != nil:
		var cr converseRequest
		if json.Unmarshal(req.Input["converse"], &cr) != nil {
			c.fail(ValidationError("Malformed input request, please reformat your input and try again."))
			return
		}
		conv, e := validateConverse(&cr)
		if e != nil {
			c.fail(e)
			return
		}
		n = countTokens(conv.inputText.String())
	case req.Input["invokeModel"] != nil:
		var im struct {
			Body []byte `json:"body"` // a blob: base64 in JSON
		}
		if json.Unmarshal(req.Input["invokeModel"], &im) != nil {
			c.fail(ValidationError("1 validation error detected: Value at 'input.invokeModel.body' failed to satisfy constraint: Member must be a base64-encoded blob"))
			return
		}
		if im.Body == nil {
			c.fail(ValidationError("1 validation error detected: Value null at 'input.invokeModel.body' failed to satisfy constraint: Member must not be null"))
			return
		}
		p, e := parsePrompt(m.family(), im.Body)
		if e != nil {
			c.fail(e)
			return
		}
		n = countTokens(p.conv.inputText.String())
	default:
		c.fail(ValidationError("The CountTokensInput object at input must set exactly one of the following keys: invokeModel, converse."))
		return
	}
	c.writeJSON(marshal(map[string]any{"inputTokens": n}))
}
