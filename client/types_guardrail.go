package client

import "encoding/json"

// GuardrailAssessment is what one guardrail found, policy by policy. It
// appears in ApplyGuardrailOutput and in a Converse trace.
type GuardrailAssessment struct {
	TopicPolicy                *GuardrailTopicPolicyAssessment                `json:"topicPolicy,omitempty"`
	ContentPolicy              *GuardrailContentPolicyAssessment              `json:"contentPolicy,omitempty"`
	WordPolicy                 *GuardrailWordPolicyAssessment                 `json:"wordPolicy,omitempty"`
	SensitiveInformationPolicy *GuardrailSensitiveInformationPolicyAssessment `json:"sensitiveInformationPolicy,omitempty"`
	ContextualGroundingPolicy  *GuardrailContextualGroundingPolicyAssessment  `json:"contextualGroundingPolicy,omitempty"`
	AutomatedReasoningPolicy   *GuardrailAutomatedReasoningPolicyAssessment   `json:"automatedReasoningPolicy,omitempty"`
	InvocationMetrics          *GuardrailInvocationMetrics                    `json:"invocationMetrics,omitempty"`
	AppliedGuardrailDetails    *AppliedGuardrailDetails                       `json:"appliedGuardrailDetails,omitempty"`
}

// GuardrailTopicPolicyAssessment lists the denied topics found.
type GuardrailTopicPolicyAssessment struct {
	Topics []GuardrailTopic `json:"topics"`
}

// GuardrailTopic is one denied topic found.
type GuardrailTopic struct {
	Name     string `json:"name"`
	Type     string `json:"type"`   // DENY
	Action   string `json:"action"` // BLOCKED, NONE
	Detected *bool  `json:"detected,omitempty"`
}

// GuardrailContentPolicyAssessment lists the content filters that matched.
type GuardrailContentPolicyAssessment struct {
	Filters []GuardrailContentFilter `json:"filters"`
}

// GuardrailContentFilter is one content filter result.
type GuardrailContentFilter struct {
	Type           string `json:"type"`       // INSULTS, HATE, SEXUAL, VIOLENCE, MISCONDUCT, PROMPT_ATTACK
	Confidence     string `json:"confidence"` // NONE, LOW, MEDIUM, HIGH
	FilterStrength string `json:"filterStrength,omitempty"`
	Action         string `json:"action"` // BLOCKED, NONE
	Detected       *bool  `json:"detected,omitempty"`
}

// GuardrailWordPolicyAssessment lists the words found.
type GuardrailWordPolicyAssessment struct {
	CustomWords      []GuardrailCustomWord  `json:"customWords"`
	ManagedWordLists []GuardrailManagedWord `json:"managedWordLists"`
}

// GuardrailCustomWord is one custom word found.
type GuardrailCustomWord struct {
	Match    string `json:"match"`
	Action   string `json:"action"`
	Detected *bool  `json:"detected,omitempty"`
}

// GuardrailManagedWord is one managed-list word found.
type GuardrailManagedWord struct {
	Match    string `json:"match"`
	Type     string `json:"type"` // PROFANITY
	Action   string `json:"action"`
	Detected *bool  `json:"detected,omitempty"`
}

// GuardrailSensitiveInformationPolicyAssessment lists the PII and regex
// matches found.
type GuardrailSensitiveInformationPolicyAssessment struct {
	PIIEntities []GuardrailPIIEntityFilter `json:"piiEntities"`
	Regexes     []GuardrailRegexFilter     `json:"regexes"`
}

// GuardrailPIIEntityFilter is one PII match.
type GuardrailPIIEntityFilter struct {
	Match    string `json:"match"`
	Type     string `json:"type"`   // EMAIL, NAME, PHONE, …
	Action   string `json:"action"` // ANONYMIZED, BLOCKED, NONE
	Detected *bool  `json:"detected,omitempty"`
}

// GuardrailRegexFilter is one regex match.
type GuardrailRegexFilter struct {
	Name     string `json:"name,omitempty"`
	Match    string `json:"match,omitempty"`
	Regex    string `json:"regex,omitempty"`
	Action   string `json:"action"`
	Detected *bool  `json:"detected,omitempty"`
}

// GuardrailContextualGroundingPolicyAssessment lists grounding and
// relevance scores.
type GuardrailContextualGroundingPolicyAssessment struct {
	Filters []GuardrailContextualGroundingFilter `json:"filters,omitempty"`
}

// GuardrailContextualGroundingFilter is one grounding or relevance check.
type GuardrailContextualGroundingFilter struct {
	Type      string  `json:"type"` // GROUNDING, RELEVANCE
	Threshold float64 `json:"threshold"`
	Score     float64 `json:"score"`
	Action    string  `json:"action"`
	Detected  *bool   `json:"detected,omitempty"`
}

// GuardrailAutomatedReasoningPolicyAssessment lists automated-reasoning
// findings.
type GuardrailAutomatedReasoningPolicyAssessment struct {
	Findings []AutomatedReasoningFinding
}

type arPolicyWire struct {
	Findings automatedReasoningFindingList `json:"findings,omitempty"`
}

// MarshalJSON writes the assessment in Bedrock's wire shape.
func (a GuardrailAutomatedReasoningPolicyAssessment) MarshalJSON() ([]byte, error) {
	return json.Marshal(arPolicyWire{a.Findings})
}

// UnmarshalJSON reads the assessment in Bedrock's wire shape.
func (a *GuardrailAutomatedReasoningPolicyAssessment) UnmarshalJSON(data []byte) error {
	var w arPolicyWire
	if err := json.Unmarshal(data, &w); err != nil {
		return err
	}
	a.Findings = w.Findings
	return nil
}

// AutomatedReasoningFinding is one automated-reasoning result:
// ARValidFinding, ARInvalidFinding, ARSatisfiableFinding,
// ARImpossibleFinding, ARTranslationAmbiguousFinding, ARTooComplexFinding,
// ARNoTranslationsFinding, or UnknownBlock.
type AutomatedReasoningFinding interface {
	unionMember
	isAutomatedReasoningFinding()
}

func (UnknownBlock) isAutomatedReasoningFinding() {}

// ARStatement is a logical statement with its natural-language reading.
type ARStatement struct {
	Logic           string `json:"logic,omitempty"`
	NaturalLanguage string `json:"naturalLanguage,omitempty"`
}

// ARInputTextReference is input text that could not be translated.
type ARInputTextReference struct {
	Text string `json:"text,omitempty"`
}

// ARTranslation is the input translated into logic.
type ARTranslation struct {
	Premises             []ARStatement          `json:"premises,omitempty"`
	Claims               []ARStatement          `json:"claims,omitempty"`
	UntranslatedPremises []ARInputTextReference `json:"untranslatedPremises,omitempty"`
	UntranslatedClaims   []ARInputTextReference `json:"untranslatedClaims,omitempty"`
	Confidence           *float64               `json:"confidence,omitempty"`
}

// ARScenario is an assignment that makes the claims true or false.
type ARScenario struct {
	Statements []ARStatement `json:"statements,omitempty"`
}

// ARRule is a policy rule.
type ARRule struct {
	Identifier       string `json:"identifier,omitempty"`
	PolicyVersionARN string `json:"policyVersionArn,omitempty"`
}

// ARLogicWarning flags premises or claims that are always true or false.
type ARLogicWarning struct {
	Type     string        `json:"type,omitempty"` // ALWAYS_FALSE, ALWAYS_TRUE
	Premises []ARStatement `json:"premises,omitempty"`
	Claims   []ARStatement `json:"claims,omitempty"`
}

// ARTranslationOption is one possible translation of ambiguous input.
type ARTranslationOption struct {
	Translations []ARTranslation `json:"translations,omitempty"`
}

// ARValidFinding: the claims follow from the premises and the policy.
type ARValidFinding struct {
	Translation        *ARTranslation  `json:"translation,omitempty"`
	ClaimsTrueScenario *ARScenario     `json:"claimsTrueScenario,omitempty"`
	SupportingRules    []ARRule        `json:"supportingRules,omitempty"`
	LogicWarning       *ARLogicWarning `json:"logicWarning,omitempty"`
}

// ARInvalidFinding: the claims contradict the policy.
type ARInvalidFinding struct {
	Translation        *ARTranslation  `json:"translation,omitempty"`
	ContradictingRules []ARRule        `json:"contradictingRules,omitempty"`
	LogicWarning       *ARLogicWarning `json:"logicWarning,omitempty"`
}

// ARSatisfiableFinding: the claims can be true or false.
type ARSatisfiableFinding struct {
	Translation         *ARTranslation  `json:"translation,omitempty"`
	ClaimsTrueScenario  *ARScenario     `json:"claimsTrueScenario,omitempty"`
	ClaimsFalseScenario *ARScenario     `json:"claimsFalseScenario,omitempty"`
	LogicWarning        *ARLogicWarning `json:"logicWarning,omitempty"`
}

// ARImpossibleFinding: the premises contradict each other or the policy.
type ARImpossibleFinding struct {
	Translation        *ARTranslation  `json:"translation,omitempty"`
	ContradictingRules []ARRule        `json:"contradictingRules,omitempty"`
	LogicWarning       *ARLogicWarning `json:"logicWarning,omitempty"`
}

// ARTranslationAmbiguousFinding: the input has several translations.
type ARTranslationAmbiguousFinding struct {
	Options             []ARTranslationOption `json:"options,omitempty"`
	DifferenceScenarios []ARScenario          `json:"differenceScenarios,omitempty"`
}

// ARTooComplexFinding: the input was too complex to check.
type ARTooComplexFinding struct{}

// ARNoTranslationsFinding: nothing in the input could be translated.
type ARNoTranslationsFinding struct{}

func (ARValidFinding) unionKey() string                            { return "valid" }
func (ARInvalidFinding) unionKey() string                          { return "invalid" }
func (ARSatisfiableFinding) unionKey() string                      { return "satisfiable" }
func (ARImpossibleFinding) unionKey() string                       { return "impossible" }
func (ARTranslationAmbiguousFinding) unionKey() string             { return "translationAmbiguous" }
func (ARTooComplexFinding) unionKey() string                       { return "tooComplex" }
func (ARNoTranslationsFinding) unionKey() string                   { return "noTranslations" }
func (ARValidFinding) isAutomatedReasoningFinding()                {}
func (ARInvalidFinding) isAutomatedReasoningFinding()              {}
func (ARSatisfiableFinding) isAutomatedReasoningFinding()          {}
func (ARImpossibleFinding) isAutomatedReasoningFinding()           {}
func (ARTranslationAmbiguousFinding) isAutomatedReasoningFinding() {}
func (ARTooComplexFinding) isAutomatedReasoningFinding()           {}
func (ARNoTranslationsFinding) isAutomatedReasoningFinding()       {}

func decodeAutomatedReasoningFinding(key string, inner json.RawMessage) (unionMember, error) {
	switch key {
	case "valid":
		return decodeAs(inner, ARValidFinding{})
	case "invalid":
		return decodeAs(inner, ARInvalidFinding{})
	case "satisfiable":
		return decodeAs(inner, ARSatisfiableFinding{})
	case "impossible":
		return decodeAs(inner, ARImpossibleFinding{})
	case "translationAmbiguous":
		return decodeAs(inner, ARTranslationAmbiguousFinding{})
	case "tooComplex":
		return decodeAs(inner, ARTooComplexFinding{})
	case "noTranslations":
		return decodeAs(inner, ARNoTranslationsFinding{})
	}
	return unknownMember(key, inner), nil
}

// GuardrailInvocationMetrics are the guardrail's latency, usage and
// coverage.
type GuardrailInvocationMetrics struct {
	GuardrailProcessingLatency *int64             `json:"guardrailProcessingLatency,omitempty"`
	Usage                      *GuardrailUsage    `json:"usage,omitempty"`
	GuardrailCoverage          *GuardrailCoverage `json:"guardrailCoverage,omitempty"`
}

// GuardrailUsage counts the text units each policy processed.
type GuardrailUsage struct {
	TopicPolicyUnits                    int  `json:"topicPolicyUnits"`
	ContentPolicyUnits                  int  `json:"contentPolicyUnits"`
	WordPolicyUnits                     int  `json:"wordPolicyUnits"`
	SensitiveInformationPolicyUnits     int  `json:"sensitiveInformationPolicyUnits"`
	SensitiveInformationPolicyFreeUnits int  `json:"sensitiveInformationPolicyFreeUnits"`
	ContextualGroundingPolicyUnits      int  `json:"contextualGroundingPolicyUnits"`
	ContentPolicyImageUnits             *int `json:"contentPolicyImageUnits,omitempty"`
	AutomatedReasoningPolicyUnits       *int `json:"automatedReasoningPolicyUnits,omitempty"`
	AutomatedReasoningPolicies          *int `json:"automatedReasoningPolicies,omitempty"`
}

// GuardrailCoverage says how much of the input the guardrail assessed.
type GuardrailCoverage struct {
	TextCharacters *GuardrailTextCharactersCoverage `json:"textCharacters,omitempty"`
	Images         *GuardrailImageCoverage          `json:"images,omitempty"`
}

// GuardrailTextCharactersCoverage counts the characters guarded.
type GuardrailTextCharactersCoverage struct {
	Guarded *int `json:"guarded,omitempty"`
	Total   *int `json:"total,omitempty"`
}

// GuardrailImageCoverage counts the images guarded.
type GuardrailImageCoverage struct {
	Guarded *int `json:"guarded,omitempty"`
	Total   *int `json:"total,omitempty"`
}

// AppliedGuardrailDetails identifies the guardrail that produced an
// assessment.
type AppliedGuardrailDetails struct {
	GuardrailID        string   `json:"guardrailId,omitempty"`
	GuardrailVersion   string   `json:"guardrailVersion,omitempty"`
	GuardrailARN       string   `json:"guardrailArn,omitempty"`
	GuardrailOrigin    []string `json:"guardrailOrigin,omitempty"` // REQUEST, ACCOUNT_ENFORCED, ORGANIZATION_ENFORCED
	GuardrailOwnership string   `json:"guardrailOwnership,omitempty"`
}
