package client

import (
	"context"
	"fmt"
	"net/http"
)

// Converse sends a conversation to a model and returns its reply.
//
// in.ModelID names the model (an ID such as
// "us.anthropic.claude-3-5-haiku-20241022-v1:0", an inference profile, or an
// ARN); the rest of in is the request body. GuardrailConfig's
// StreamProcessingMode belongs to ConverseStream and is refused here.
func (c *Client) Converse(ctx context.Context, in *ConverseInput) (*ConverseOutput, error) {
	const op = "Converse"
	if err := checkConverseInput(op, in); err != nil {
		return nil, err
	}
	if in.GuardrailConfig != nil && in.GuardrailConfig.StreamProcessingMode != "" {
		return nil, fmt.Errorf("bedrock %s: GuardrailConfig.StreamProcessingMode is for ConverseStream only", op)
	}
	out := new(ConverseOutput)
	if _, err := c.sendJSON(ctx, &request{
		op:     op,
		method: http.MethodPost,
		path:   modelPath(in.ModelID, "converse"),
	}, in, out); err != nil {
		return nil, err
	}
	return out, nil
}

// checkConverseInput catches what would otherwise be a confusing service
// error or a malformed path.
func checkConverseInput(op string, in *ConverseInput) error {
	if in == nil {
		return fmt.Errorf("bedrock %s: nil input", op)
	}
	if in.ModelID == "" {
		return fmt.Errorf("bedrock %s: ModelID is empty", op)
	}
	return nil
}
