package main

// The flags converse, chat and tokens share, and the ConverseInput they build.

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"math"
	"strings"

	"github.com/bedrockwire/bedrockwire/client"
	"github.com/bedrockwire/bedrockwire/modelspec"
)

// converseFlags are the request flags of converse and chat.
type converseFlags struct {
	model           string
	system          string
	files           stringList
	maxTokens       int
	temperature     float64
	topP            float64
	stops           stringList
	reasoningBudget int
	reasoningEffort string
	cache           bool
	guardrail       string

	fs *flag.FlagSet
}

// addModelFlag defines -m and --model on fs.
func addModelFlag(fs *flag.FlagSet, p *string) {
	fs.StringVar(p, "m", "", "model ID, inference profile ID or ARN")
	fs.StringVar(p, "model", "", "model ID, inference profile ID or ARN")
}

// addConverseFlags defines the request flags on fs; withFiles adds --file.
func addConverseFlags(fs *flag.FlagSet, withFiles bool) *converseFlags {
	c := &converseFlags{fs: fs}
	addModelFlag(fs, &c.model)
	fs.StringVar(&c.system, "s", "", "system prompt")
	fs.StringVar(&c.system, "system", "", "system prompt")
	if withFiles {
		fs.Var(&c.files, "file", "attach a file (repeatable)")
	}
	fs.IntVar(&c.maxTokens, "max-tokens", 0, "most tokens to generate")
	fs.Float64Var(&c.temperature, "temperature", 0, "sampling temperature")
	fs.Float64Var(&c.topP, "top-p", 0, "nucleus sampling probability mass")
	fs.Var(&c.stops, "stop", "stop sequence (repeatable)")
	fs.IntVar(&c.reasoningBudget, "reasoning-budget", 0, "reasoning token budget (Anthropic)")
	fs.StringVar(&c.reasoningEffort, "reasoning-effort", "", "reasoning effort: low, medium or high")
	fs.BoolVar(&c.cache, "cache", false, "add a prompt-cache point after the system prompt")
	fs.StringVar(&c.guardrail, "guardrail", "", "guardrail as ID:VERSION")
	return c
}

// converseFlagsHelp is the OPTIONS paragraph for the request flags.
const converseFlagsHelp = `    -m, --model ID          model ID, inference profile ID (us., eu., global., ...)
                            or ARN (required)
    -s, --system TEXT       system prompt
    --max-tokens N          most tokens to generate
    --temperature T         sampling temperature (0 to 1 for most models)
    --top-p P               nucleus sampling probability mass (0 to 1)
    --stop SEQ              stop sequence; repeat for several
    --reasoning-budget N    turn on extended thinking with a budget of N tokens
                            (Anthropic: thinking.budget_tokens, at least 1024)
    --reasoning-effort E    low, medium or high: Nova 2 reasoningConfig,
                            gpt-oss reasoning_effort; for Anthropic a budget
                            of 1024, 4096 or 16384 tokens
    --cache                 put a prompt-cache point after the system prompt
                            (after the attached files when there is none)
    --guardrail ID:VERSION  apply a guardrail (VERSION is a number or DRAFT)
`

// validate checks the flag values that need no model knowledge.
func (c *converseFlags) validate() error {
	if c.model == "" {
		return usageError("a model is required: -m MODEL (see 'bedrock models')")
	}
	if c.maxTokens < 0 {
		return usageError("--max-tokens %d: want a positive number", c.maxTokens)
	}
	if cliFlagWasSet(c.fs, "temperature") && (c.temperature < 0 || c.temperature > 2 || math.IsNaN(c.temperature)) {
		return usageError("--temperature %g: want a number from 0 to 2", c.temperature)
	}
	if cliFlagWasSet(c.fs, "top-p") && (c.topP < 0 || c.topP > 1 || math.IsNaN(c.topP)) {
		return usageError("--top-p %g: want a number from 0 to 1", c.topP)
	}
	if c.guardrail != "" {
		if _, _, err := cliGuardrail(c.guardrail); err != nil {
			return err
		}
	}
	_, err := c.reasoningFields()
	return err
}

// cliCheckAPI tells, before anything is sent, whether the catalog knows that
// model cannot answer api, and then says what would work. Identifiers the
// catalog does not know (application inference profiles, imported and
// provisioned models, new models) go to the service, which has the last
// word.
func cliCheckAPI(model string, api modelspec.API) error {
	err := modelspec.CheckAPI(model, api)
	if err == nil || errors.Is(err, modelspec.ErrUnknownModel) || errors.Is(err, modelspec.ErrInvalidID) {
		return nil
	}
	return usageError("%s", strings.TrimPrefix(err.Error(), "modelspec: "))
}

// cliGuardrail splits ID:VERSION at the last colon, so ARNs work.
func cliGuardrail(s string) (id, version string, err error) {
	i := strings.LastIndexByte(s, ':')
	if i <= 0 || i == len(s)-1 {
		return "", "", usageError("--guardrail %q: want ID:VERSION, e.g. gr-abc123:1 or gr-abc123:DRAFT", s)
	}
	return s[:i], s[i+1:], nil
}

// Reasoning families.
const (
	reasonAnthropic = "anthropic"
	reasonNova2     = "nova2"
	reasonGPTOSS    = "gpt-oss"
)

// cliReasoningFamily tells how a model takes reasoning settings, from the
// catalog when it knows the model, else from the ID's provider and name.
func cliReasoningFamily(modelID string) string {
	provider, name := "", ""
	if m, err := modelspec.Lookup(modelID); err == nil {
		id, _ := modelspec.Parse(m.ID)
		provider, name = id.Provider, id.Name
	} else if id, err := modelspec.Parse(modelID); err == nil {
		provider, name = id.Provider, id.Name
	}
	switch {
	case provider == "anthropic":
		return reasonAnthropic
	case provider == "amazon" && strings.HasPrefix(name, "nova-2-"):
		return reasonNova2
	case provider == "openai" && strings.HasPrefix(name, "gpt-oss"):
		return reasonGPTOSS
	}
	return ""
}

// anthropicEffortBudget maps --reasoning-effort to a thinking budget.
var anthropicEffortBudget = map[string]int{"low": 1024, "medium": 4096, "high": 16384}

// reasoningFields returns additionalModelRequestFields for the reasoning
// flags, or nil when none is set.
func (c *converseFlags) reasoningFields() (json.RawMessage, error) {
	if c.reasoningBudget == 0 && c.reasoningEffort == "" {
		return nil, nil
	}
	if c.reasoningBudget < 0 {
		return nil, usageError("--reasoning-budget %d: want a positive number of tokens", c.reasoningBudget)
	}
	if c.reasoningEffort != "" {
		switch c.reasoningEffort {
		case "low", "medium", "high":
		default:
			return nil, usageError("--reasoning-effort %q: want low, medium or high", c.reasoningEffort)
		}
	}
	if c.reasoningBudget > 0 && c.reasoningEffort != "" {
		return nil, usageError("give --reasoning-budget or --reasoning-effort, not both")
	}
	var v any
	switch fam := cliReasoningFamily(c.model); fam {
	case reasonAnthropic:
		budget := c.reasoningBudget
		if budget == 0 {
			budget = anthropicEffortBudget[c.reasoningEffort]
		}
		if budget < 1024 {
			return nil, usageError("--reasoning-budget %d: Anthropic models want at least 1024 tokens", budget)
		}
		if c.maxTokens != 0 && c.maxTokens <= budget {
			return nil, usageError("--max-tokens %d must be more than the reasoning budget %d", c.maxTokens, budget)
		}
		v = map[string]any{"thinking": modelspec.AnthropicThinking{Type: "enabled", BudgetTokens: budget}}
	case reasonNova2, reasonGPTOSS:
		if c.reasoningBudget > 0 {
			return nil, usageError("%s takes --reasoning-effort low|medium|high, not a token budget", c.model)
		}
		if fam == reasonNova2 {
			v = map[string]any{"reasoningConfig": modelspec.NovaReasoningConfig{Type: "enabled", MaxReasoningEffort: c.reasoningEffort}}
		} else {
			v = map[string]string{"reasoning_effort": c.reasoningEffort}
		}
	default:
		return nil, usageError("%s: no known reasoning setting; --reasoning-budget and --reasoning-effort work with Anthropic Claude, Amazon Nova 2 and OpenAI gpt-oss models", c.model)
	}
	return client.ToJSON(v)
}

// inferenceConfig returns the inference parameters, or nil when none is set.
func (c *converseFlags) inferenceConfig() *client.InferenceConfig {
	ic := &client.InferenceConfig{MaxTokens: c.maxTokens, StopSequences: c.stops}
	if cliFlagWasSet(c.fs, "temperature") {
		ic.Temperature = client.Ptr(float32(c.temperature))
	}
	if cliFlagWasSet(c.fs, "top-p") {
		ic.TopP = client.Ptr(float32(c.topP))
	}
	if ic.MaxTokens == 0 && ic.Temperature == nil && ic.TopP == nil && len(ic.StopSequences) == 0 {
		return nil
	}
	return ic
}

// systemBlocks returns the system prompt, with the cache point when asked.
func (c *converseFlags) systemBlocks() []client.SystemBlock {
	if c.system == "" {
		return nil
	}
	s := []client.SystemBlock{client.TextBlock{Text: c.system}}
	if c.cache {
		s = append(s, client.CachePointBlock{})
	}
	return s
}

// input builds the request for messages; validate must have passed.
func (c *converseFlags) input(messages []client.Message) (*client.ConverseInput, error) {
	in := &client.ConverseInput{
		ModelID:         c.model,
		Messages:        messages,
		System:          c.systemBlocks(),
		InferenceConfig: c.inferenceConfig(),
	}
	if c.guardrail != "" {
		id, version, _ := cliGuardrail(c.guardrail)
		in.GuardrailConfig = &client.GuardrailConfig{GuardrailIdentifier: id, GuardrailVersion: version}
	}
	fields, err := c.reasoningFields()
	if err != nil {
		return nil, err
	}
	in.AdditionalModelRequestFields = fields
	return in, nil
}

// firstMessage builds the opening user message: the attached files, a cache
// point after them when --cache has no system prompt to follow, then the
// prompt text.
func (c *converseFlags) firstMessage(prompt string) (client.Message, error) {
	msg := client.Message{Role: client.RoleUser}
	if len(c.files) > 0 {
		blocks, err := cliFileBlocks(c.files)
		if err != nil {
			return msg, err
		}
		msg.Content = append(msg.Content, blocks...)
		if c.cache && c.system == "" {
			msg.Content = append(msg.Content, client.CachePointBlock{})
		}
	} else if c.cache && c.system == "" {
		return msg, usageError("--cache puts a cache point after the system prompt (or the attached files): give -s or --file")
	}
	if strings.TrimSpace(prompt) == "" {
		return msg, usageError("no prompt: give it as an argument or on stdin")
	}
	msg.Content = append(msg.Content, client.TextBlock{Text: prompt})
	return msg, nil
}

// cliUsageLine is the compact account printed to stderr after a reply:
// tokens in, out and from the cache, and the latency the service reported.
func cliUsageLine(u client.Usage, latencyMs int64) string {
	var b strings.Builder
	fmt.Fprintf(&b, "tokens: %d in, %d out", u.InputTokens, u.OutputTokens)
	if u.CacheReadInputTokens != 0 || u.CacheWriteInputTokens != 0 {
		fmt.Fprintf(&b, ", cache %d read, %d written", u.CacheReadInputTokens, u.CacheWriteInputTokens)
	}
	fmt.Fprintf(&b, "; latency %d ms", latencyMs)
	return b.String()
}
