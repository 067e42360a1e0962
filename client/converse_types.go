package client

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// ConverseInput is a Converse or ConverseStream request.
type ConverseInput struct {
	// ModelID is a model ID, inference profile ID or ARN, or any other
	// identifier Converse accepts (prompt, prompt router, provisioned or
	// custom model, SageMaker endpoint ARN). It goes into the request path.
	ModelID string

	Messages        []Message
	System          []SystemBlock
	InferenceConfig *InferenceConfig
	ToolConfig      *ToolConfig
	GuardrailConfig *GuardrailConfig
	// AdditionalModelRequestFields are model-specific request fields, a
	// JSON object. Build it with ToJSON.
	AdditionalModelRequestFields json.RawMessage
	// AdditionalModelResponseFieldPaths are JSON Pointer paths of
	// model-specific response fields to return in
	// ConverseOutput.AdditionalModelResponseFields.
	AdditionalModelResponseFieldPaths []string
	// PromptVariables fill in the variables of a prompt ARN given as ModelID.
	PromptVariables map[string]PromptVariable
	// RequestMetadata are key-value pairs for filtering invocation logs.
	RequestMetadata   map[string]string
	PerformanceConfig *PerformanceConfig
	ServiceTier       *ServiceTier
	OutputConfig      *OutputConfig
}

type converseInputWire struct {
	Messages                          []Message                 `json:"messages,omitempty"`
	System                            systemBlockList           `json:"system,omitempty"`
	InferenceConfig                   *InferenceConfig          `json:"inferenceConfig,omitempty"`
	ToolConfig                        *ToolConfig               `json:"toolConfig,omitempty"`
	GuardrailConfig                   *GuardrailConfig          `json:"guardrailConfig,omitempty"`
	AdditionalModelRequestFields      json.RawMessage           `json:"additionalModelRequestFields,omitempty"`
	PromptVariables                   map[string]PromptVariable `json:"promptVariables,omitempty"`
	AdditionalModelResponseFieldPaths []string                  `json:"additionalModelResponseFieldPaths,omitempty"`
	RequestMetadata                   map[string]string         `json:"requestMetadata,omitempty"`
	PerformanceConfig                 *PerformanceConfig        `json:"performanceConfig,omitempty"`
	ServiceTier                       *ServiceTier              `json:"serviceTier,omitempty"`
	OutputConfig                      *OutputConfig             `json:"outputConfig,omitempty"`
}

// MarshalJSON writes the request body (everything but ModelID, which goes
// into the path).
func (in ConverseInput) MarshalJSON() ([]byte, error) {
	if len(in.AdditionalModelRequestFields) > 0 && !json.Valid(in.AdditionalModelRequestFields) {
		return nil, errors.New("additionalModelRequestFields is not valid JSON")
	}
	return json.Marshal(converseInputWire{
		Messages:                          in.Messages,
		System:                            in.System,
		InferenceConfig:                   in.InferenceConfig,
		ToolConfig:                        in.ToolConfig,
		GuardrailConfig:                   in.GuardrailConfig,
		AdditionalModelRequestFields:      in.AdditionalModelRequestFields,
		PromptVariables:                   in.PromptVariables,
		AdditionalModelResponseFieldPaths: in.AdditionalModelResponseFieldPaths,
		RequestMetadata:                   in.RequestMetadata,
		PerformanceConfig:                 in.PerformanceConfig,
		ServiceTier:                       in.ServiceTier,
		OutputConfig:                      in.OutputConfig,
	})
}

// UnmarshalJSON reads a request body (ModelID is left empty).
func (in *ConverseInput) UnmarshalJSON(data []byte) error {
	var w converseInputWire
	if err := json.Unmarshal(data, &w); err != nil {
		return err
	}
	*in = ConverseInput{
		Messages:                          w.Messages,
		System:                            w.System,
		InferenceConfig:                   w.InferenceConfig,
		ToolConfig:                        w.ToolConfig,
		GuardrailConfig:                   w.GuardrailConfig,
		AdditionalModelRequestFields:      w.AdditionalModelRequestFields,
		PromptVariables:                   w.PromptVariables,
		AdditionalModelResponseFieldPaths: w.AdditionalModelResponseFieldPaths,
		RequestMetadata:                   w.RequestMetadata,
		PerformanceConfig:                 w.PerformanceConfig,
		ServiceTier:                       w.ServiceTier,
		OutputConfig:                      w.OutputConfig,
	}
	return nil
}

// PromptVariable is the value of a prompt variable.
type PromptVariable struct {
	Text string `json:"text"`
}

// InferenceConfig holds the common inference parameters. Temperature and
// TopP are pointers because zero is a meaningful value; use Ptr.
type InferenceConfig struct {
	MaxTokens     int      `json:"maxTokens,omitempty"`
	Temperature   *float32 `json:"temperature,omitempty"`
	TopP          *float32 `json:"topP,omitempty"`
	StopSequences []string `json:"stopSequences,omitempty"`
}

// Ptr returns a pointer to v, for optional fields such as
// InferenceConfig.Temperature.
func Ptr[T any](v T) *T { return &v }

// ToolConfig lists the tools the model may call and how it must choose.
type ToolConfig struct {
	Tools      []Tool
	ToolChoice ToolChoice
}

type toolConfigWire struct {
	Tools      toolList       `json:"tools"`
	ToolChoice *toolChoiceOne `json:"toolChoice,omitempty"`
}

// MarshalJSON writes the tool configuration in Bedrock's wire shape.
func (c ToolConfig) MarshalJSON() ([]byte, error) {
	t := toolList(c.Tools)
	if t == nil {
		t = toolList{}
	}
	return json.Marshal(toolConfigWire{t, oneToolChoice(c.ToolChoice)})
}

// UnmarshalJSON reads a tool configuration in Bedrock's wire shape.
func (c *ToolConfig) UnmarshalJSON(data []byte) error {
	var w toolConfigWire
	if err := json.Unmarshal(data, &w); err != nil {
		return err
	}
	*c = ToolConfig{w.Tools, w.ToolChoice.get()}
	return nil
}

// Tool is one entry of ToolConfig.Tools: ToolSpec, SystemTool,
// CachePointBlock or UnknownBlock.
type Tool interface {
	unionMember
	isTool()
}

func (UnknownBlock) isTool() {}

// ToolSpec describes a tool the model may call.
type ToolSpec struct {
	Name        string
	Description string
	// InputSchema is the JSON Schema of the tool's input. Build it with ToJSON.
	InputSchema json.RawMessage
	// Strict asks the model to follow the schema exactly.
	Strict bool
}

func (ToolSpec) unionKey() string { return "toolSpec" }
func (ToolSpec) isTool()          {}

type toolSpecWire struct {
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
	InputSchema struct {
		JSON json.RawMessage `json:"json"`
	} `json:"inputSchema"`
	Strict bool `json:"strict,omitempty"`
}

// MarshalJSON writes the tool specification in Bedrock's wire shape; an
// empty InputSchema is sent as {}.
func (t ToolSpec) MarshalJSON() ([]byte, error) {
	s, err := rawOrEmptyObject(t.InputSchema, "tool "+t.Name+" inputSchema")
	if err != nil {
		return nil, err
	}
	w := toolSpecWire{Name: t.Name, Description: t.Description, Strict: t.Strict}
	w.InputSchema.JSON = s
	return json.Marshal(w)
}

// UnmarshalJSON reads a tool specification in Bedrock's wire shape.
func (t *ToolSpec) UnmarshalJSON(data []byte) error {
	var w toolSpecWire
	if err := json.Unmarshal(data, &w); err != nil {
		return err
	}
	*t = ToolSpec{w.Name, w.Description, w.InputSchema.JSON, w.Strict}
	return nil
}

// SystemTool names a tool the service provides.
type SystemTool struct {
	Name string `json:"name"`
}

func (SystemTool) unionKey() string { return "systemTool" }
func (SystemTool) isTool()          {}

func decodeTool(key string, inner json.RawMessage) (unionMember, error) {
	switch key {
	case "toolSpec":
		return decodeAs(inner, ToolSpec{})
	case "systemTool":
		return decodeAs(inner, SystemTool{})
	case "cachePoint":
		return decodeAs(inner, CachePointBlock{})
	}
	return unknownMember(key, inner), nil
}

// ToolChoice says how the model must use tools: AutoToolChoice (it decides),
// AnyToolChoice (it must call one), SpecificToolChoice (it must call the one
// named), or UnknownBlock.
type ToolChoice interface {
	unionMember
	isToolChoice()
}

func (UnknownBlock) isToolChoice() {}

// AutoToolChoice lets the model decide whether to call a tool.
type AutoToolChoice struct{}

// AnyToolChoice makes the model call at least one tool.
type AnyToolChoice struct{}

// SpecificToolChoice makes the model call the named tool.
type SpecificToolChoice struct {
	Name string `json:"name"`
}

func (AutoToolChoice) unionKey() string     { return "auto" }
func (AnyToolChoice) unionKey() string      { return "any" }
func (SpecificToolChoice) unionKey() string { return "tool" }
func (AutoToolChoice) isToolChoice()        {}
func (AnyToolChoice) isToolChoice()         {}
func (SpecificToolChoice) isToolChoice()    {}

func decodeToolChoice(key string, inner json.RawMessage) (unionMember, error) {
	switch key {
	case "auto":
		return decodeAs(inner, AutoToolChoice{})
	case "any":
		return decodeAs(inner, AnyToolChoice{})
	case "tool":
		return decodeAs(inner, SpecificToolChoice{})
	}
	return unknownMember(key, inner), nil
}

// GuardrailConfig applies a guardrail to a Converse or ConverseStream call.
type GuardrailConfig struct {
	GuardrailIdentifier string `json:"guardrailIdentifier,omitempty"`
	GuardrailVersion    string `json:"guardrailVersion,omitempty"`
	// Trace is "enabled", "disabled" or "enabled_full".
	Trace string `json:"trace,omitempty"`
	// StreamProcessingMode is "sync" or "async"; ConverseStream only.
	StreamProcessingMode string `json:"streamProcessingMode,omitempty"`
}

// PerformanceConfig selects latency-optimized inference.
type PerformanceConfig struct {
	// Latency is "standard" or "optimized".
	Latency string `json:"latency,omitempty"`
}

// ServiceTier selects the service tier of a request.
type ServiceTier struct {
	// Type is "priority", "default", "flex" or "reserved".
	Type string `json:"type"`
}

// OutputConfig constrains the model's output.
type OutputConfig struct {
	TextFormat *OutputFormat `json:"textFormat,omitempty"`
	Effort     string        `json:"effort,omitempty"`
}

// OutputFormat asks for structured output.
type OutputFormat struct {
	// Type is "json_schema".
	Type      string                `json:"type"`
	Structure OutputFormatStructure `json:"structure"`
}

// OutputFormatStructure holds the schema of structured output.
type OutputFormatStructure struct {
	JSONSchema *JSONSchemaDefinition `json:"jsonSchema,omitempty"`
}

// JSONSchemaDefinition is a JSON Schema, as text, for structured output.
type JSONSchemaDefinition struct {
	Schema      string `json:"schema"`
	Name        string `json:"name,omitempty"`
	Description string `json:"description,omitempty"`
}

// StopReason says why the model stopped generating.
type StopReason string

// Stop reasons.
const (
	StopReasonEndTurn                    StopReason = "end_turn"
	StopReasonToolUse                    StopReason = "tool_use"
	StopReasonMaxTokens                  StopReason = "max_tokens"
	StopReasonStopSequence               StopReason = "stop_sequence"
	StopReasonGuardrailIntervened        StopReason = "guardrail_intervened"
	StopReasonContentFiltered            StopReason = "content_filtered"
	StopReasonMalformedModelOutput       StopReason = "malformed_model_output"
	StopReasonMalformedToolUse           StopReason = "malformed_tool_use"
	StopReasonModelContextWindowExceeded StopReason = "model_context_window_exceeded"
)

// ConverseOutput is the result of a Converse call, or of folding a
// ConverseStream's events with a ConverseAccumulator.
type ConverseOutput struct {
	// Message is the model's reply.
	Message Message
	// UnknownOutput holds the output if the service sent a kind of output
	// other than a message, which this client does not know; Message is
	// then empty.
	UnknownOutput *UnknownBlock

	StopReason StopReason
	Usage      Usage
	Metrics    Metrics
	// AdditionalModelResponseFields are the fields asked for with
	// ConverseInput.AdditionalModelResponseFieldPaths.
	AdditionalModelResponseFields json.RawMessage
	Trace                         *Trace
	PerformanceConfig             *PerformanceConfig
	ServiceTier                   *ServiceTier
}

type converseOutputWire struct {
	Output                        json.RawMessage    `json:"output"`
	StopReason                    StopReason         `json:"stopReason"`
	Usage                         Usage              `json:"usage"`
	Metrics                       Metrics            `json:"metrics"`
	AdditionalModelResponseFields json.RawMessage    `json:"additionalModelResponseFields,omitempty"`
	Trace                         *Trace             `json:"trace,omitempty"`
	PerformanceConfig             *PerformanceConfig `json:"performanceConfig,omitempty"`
	ServiceTier                   *ServiceTier       `json:"serviceTier,omitempty"`
}

// MarshalJSON writes the output in Bedrock's wire shape.
func (o ConverseOutput) MarshalJSON() ([]byte, error) {
	var out []byte
	var err error
	if o.UnknownOutput != nil {
		out, err = marshalUnion(*o.UnknownOutput, nil)
	} else {
		out, err = json.Marshal(struct {
			M Message `json:"message"`
		}{o.Message})
	}
	if err != nil {
		return nil, err
	}
	return json.Marshal(converseOutputWire{out, o.StopReason, o.Usage, o.Metrics,
		o.AdditionalModelResponseFields, o.Trace, o.PerformanceConfig, o.ServiceTier})
}

// UnmarshalJSON reads a Converse response body.
func (o *ConverseOutput) UnmarshalJSON(data []byte) error {
	var w converseOutputWire
	if err := json.Unmarshal(data, &w); err != nil {
		return err
	}
	*o = ConverseOutput{
		StopReason:                    w.StopReason,
		Usage:                         w.Usage,
		Metrics:                       w.Metrics,
		AdditionalModelResponseFields: w.AdditionalModelResponseFields,
		Trace:                         w.Trace,
		PerformanceConfig:             w.PerformanceConfig,
		ServiceTier:                   w.ServiceTier,
	}
	if len(w.Output) == 0 || string(w.Output) == "null" {
		return errors.New("converse response has no output")
	}
	key, inner, err := splitUnion(w.Output)
	if err != nil {
		return fmt.Errorf("output: %w", err)
	}
	if key != "message" {
		u := unknownMember(key, inner)
		o.UnknownOutput = &u
		return nil
	}
	if err := json.Unmarshal(inner, &o.Message); err != nil {
		return fmt.Errorf("output: %w", err)
	}
	return nil
}

// Text returns the text of the reply: its text blocks (and the text of its
// citations blocks) joined.
func (o *ConverseOutput) Text() string {
	var s strings.Builder
	for _, b := range o.Message.Content {
		switch b := b.(type) {
		case TextBlock:
			s.WriteString(b.Text)
		case CitationsBlock:
			for _, c := range b.Content {
				s.WriteString(c.Text)
			}
		}
	}
	return s.String()
}

// ToolUses returns the reply's tool-use blocks.
func (o *ConverseOutput) ToolUses() []ToolUseBlock {
	var t []ToolUseBlock
	for _, b := range o.Message.Content {
		if b, ok := b.(ToolUseBlock); ok {
			t = append(t, b)
		}
	}
	return t
}

// Usage counts the tokens of a call.
type Usage struct {
	InputTokens           int           `json:"inputTokens"`
	OutputTokens          int           `json:"outputTokens"`
	TotalTokens           int           `json:"totalTokens"`
	CacheReadInputTokens  int           `json:"cacheReadInputTokens,omitempty"`
	CacheWriteInputTokens int           `json:"cacheWriteInputTokens,omitempty"`
	CacheDetails          []CacheDetail `json:"cacheDetails,omitempty"`
}

// CacheDetail counts the input tokens cached with one lifetime.
type CacheDetail struct {
	TTL         CacheTTL `json:"ttl"`
	InputTokens int      `json:"inputTokens"`
}

// Metrics are the call's latency figures.
type Metrics struct {
	LatencyMs int64 `json:"latencyMs"`
}

// Trace is what a guardrail or prompt router did during a call.
type Trace struct {
	Guardrail    *GuardrailTraceAssessment `json:"guardrail,omitempty"`
	PromptRouter *PromptRouterTrace        `json:"promptRouter,omitempty"`
}

// PromptRouterTrace names the model a prompt router chose.
type PromptRouterTrace struct {
	InvokedModelID string `json:"invokedModelId,omitempty"`
}

// GuardrailTraceAssessment is what the guardrail found in the input and
// output of a Converse call.
type GuardrailTraceAssessment struct {
	ModelOutput       []string                         `json:"modelOutput,omitempty"`
	InputAssessment   map[string]GuardrailAssessment   `json:"inputAssessment,omitempty"`
	OutputAssessments map[string][]GuardrailAssessment `json:"outputAssessments,omitempty"`
	ActionReason      string                           `json:"actionReason,omitempty"`
}
