package client

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
)

// Where guarded content comes from.
const (
	GuardrailSourceInput  = "INPUT"
	GuardrailSourceOutput = "OUTPUT"
)

// Guardrail actions and output scopes.
const (
	GuardrailActionNone               = "NONE"
	GuardrailActionIntervened         = "GUARDRAIL_INTERVENED"
	GuardrailOutputScopeFull          = "FULL"
	GuardrailOutputScopeInterventions = "INTERVENTIONS"
)

// ApplyGuardrailInput is content for a guardrail to assess.
type ApplyGuardrailInput struct {
	// Source is GuardrailSourceInput (a user prompt) or GuardrailSourceOutput
	// (a model reply).
	Source string
	// Content holds GuardrailText and GuardrailImage values.
	Content []GuardrailContent
	// OutputScope is "INTERVENTIONS" (the default) or "FULL".
	OutputScope string
}

type applyGuardrailInputWire struct {
	Source      string               `json:"source"`
	Content     guardrailContentList `json:"content"`
	OutputScope string               `json:"outputScope,omitempty"`
}

// MarshalJSON writes the request body in Bedrock's wire shape.
func (in ApplyGuardrailInput) MarshalJSON() ([]byte, error) {
	c := guardrailContentList(in.Content)
	if c == nil {
		c = guardrailContentList{}
	}
	return json.Marshal(applyGuardrailInputWire{in.Source, c, in.OutputScope})
}

// UnmarshalJSON reads a request body.
func (in *ApplyGuardrailInput) UnmarshalJSON(data []byte) error {
	var w applyGuardrailInputWire
	if err := json.Unmarshal(data, &w); err != nil {
		return err
	}
	*in = ApplyGuardrailInput{w.Source, w.Content, w.OutputScope}
	return nil
}

// ApplyGuardrailOutput is what the guardrail decided.
type ApplyGuardrailOutput struct {
	// Action is GuardrailActionNone or GuardrailActionIntervened.
	Action       string `json:"action"`
	ActionReason string `json:"actionReason,omitempty"`
	// Outputs is the content with the guardrail's masking or replacement
	// applied.
	Outputs           []GuardrailOutputContent `json:"outputs"`
	Assessments       []GuardrailAssessment    `json:"assessments"`
	Usage             GuardrailUsage           `json:"usage"`
	GuardrailCoverage *GuardrailCoverage       `json:"guardrailCoverage,omitempty"`
}

// GuardrailOutputContent is one piece of guarded output.
type GuardrailOutputContent struct {
	Text string `json:"text,omitempty"`
}

// ApplyGuardrail runs a guardrail over content without invoking a model.
// guardrailID is the guardrail's ID or ARN; version is "DRAFT" or a version
// number.
func (c *Client) ApplyGuardrail(ctx context.Context, guardrailID, version string, in *ApplyGuardrailInput) (*ApplyGuardrailOutput, error) {
	const op = "ApplyGuardrail"
	switch {
	case guardrailID == "":
		return nil, fmt.Errorf("bedrock %s: guardrail ID is empty", op)
	case version == "":
		return nil, fmt.Errorf("bedrock %s: guardrail version is empty", op)
	case in == nil:
		return nil, fmt.Errorf("bedrock %s: nil input", op)
	case in.Source == "":
		return nil, fmt.Errorf("bedrock %s: Source is empty (want %s or %s)", op, GuardrailSourceInput, GuardrailSourceOutput)
	}
	out := new(ApplyGuardrailOutput)
	if _, err := c.sendJSON(ctx, &request{
		op:     op,
		method: http.MethodPost,
		path:   guardrailPath(guardrailID, version),
	}, in, out); err != nil {
		return nil, err
	}
	return out, nil
}

// guardrailPath is /guardrail/{id}/version/{version}/apply with both labels
// escaped.
func guardrailPath(id, version string) string {
	return "/guardrail/" + escapeLabel(id) + "/version/" + escapeLabel(version) + "/apply"
}
