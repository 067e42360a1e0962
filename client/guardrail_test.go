package client

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func cvGuardrailWant() *ApplyGuardrailOutput {
	usage := GuardrailUsage{TopicPolicyUnits: 1, ContentPolicyUnits: 1, WordPolicyUnits: 1, SensitiveInformationPolicyUnits: 1}
	full := usage
	full.ContentPolicyImageUnits, full.AutomatedReasoningPolicyUnits, full.AutomatedReasoningPolicies = Ptr(1), Ptr(2), Ptr(1)
	coverage := &GuardrailCoverage{
		TextCharacters: &GuardrailTextCharactersCoverage{Guarded: Ptr(40), Total: Ptr(50)},
		Images:         &GuardrailImageCoverage{Guarded: Ptr(1), Total: Ptr(2)},
	}
	return &ApplyGuardrailOutput{
		Action:       GuardrailActionIntervened,
		ActionReason: "Guardrail blocked.",
		Outputs:      []GuardrailOutputContent{{Text: "Sorry, I can't help with that. Contact {EMAIL}."}},
		Usage:        full,
		Assessments: []GuardrailAssessment{{
			TopicPolicy: &GuardrailTopicPolicyAssessment{Topics: []GuardrailTopic{{Name: "Investment advice", Type: "DENY", Action: "BLOCKED", Detected: Ptr(true)}}},
			ContentPolicy: &GuardrailContentPolicyAssessment{Filters: []GuardrailContentFilter{
				{Type: "VIOLENCE", Confidence: "HIGH", FilterStrength: "MEDIUM", Action: "BLOCKED", Detected: Ptr(true)}}},
			WordPolicy: &GuardrailWordPolicyAssessment{
				CustomWords:      []GuardrailCustomWord{{Match: "foo", Action: "BLOCKED"}},
				ManagedWordLists: []GuardrailManagedWord{{Match: "darn", Type: "PROFANITY", Action: "NONE", Detected: Ptr(false)}},
			},
			SensitiveInformationPolicy: &GuardrailSensitiveInformationPolicyAssessment{
				PIIEntities: []GuardrailPIIEntityFilter{{Match: "jane@example.com", Type: "EMAIL", Action: "ANONYMIZED", Detected: Ptr(true)}},
				Regexes:     []GuardrailRegexFilter{{Name: "acct", Match: "ACCT-1234", Regex: `ACCT-\d+`, Action: "BLOCKED"}},
			},
			ContextualGroundingPolicy: &GuardrailContextualGroundingPolicyAssessment{Filters: []GuardrailContextualGroundingFilter{
				{Type: "GROUNDING", Threshold: 0.75, Score: 0.31, Action: "BLOCKED", Detected: Ptr(true)}}},
			AutomatedReasoningPolicy: &GuardrailAutomatedReasoningPolicyAssessment{Findings: []AutomatedReasoningFinding{
				ARValidFinding{
					Translation: &ARTranslation{
						Premises:             []ARStatement{{Logic: "(= x 1)", NaturalLanguage: "x is one"}},
						Claims:               []ARStatement{{Logic: "(> x 0)"}},
						UntranslatedPremises: []ARInputTextReference{{Text: "maybe"}},
						UntranslatedClaims:   []ARInputTextReference{{Text: "perhaps"}},
						Confidence:           Ptr(0.9),
					},
					ClaimsTrueScenario: &ARScenario{Statements: []ARStatement{{Logic: "(= x 1)"}}},
					SupportingRules: []ARRule{{Identifier: "abcdefghijkl",
						PolicyVersionARN: "arn:aws:bedrock:us-east-1:123456789012:automated-reasoning-policy/abcdefghijkl:1"}},
					LogicWarning: &ARLogicWarning{Type: "ALWAYS_TRUE", Premises: []ARStatement{{Logic: "true"}}, Claims: []ARStatement{{Logic: "x"}}},
				},
				ARInvalidFinding{ContradictingRules: []ARRule{{Identifier: "mnopqrstuvwx"}}},
				ARSatisfiableFinding{ClaimsTrueScenario: &ARScenario{Statements: []ARStatement{{Logic: "y"}}},
					ClaimsFalseScenario: &ARScenario{Statements: []ARStatement{{NaturalLanguage: "x is zero"}}}},
				ARImpossibleFinding{LogicWarning: &ARLogicWarning{Type: "ALWAYS_FALSE"}},
				ARTranslationAmbiguousFinding{
					Options:             []ARTranslationOption{{Translations: []ARTranslation{{Claims: []ARStatement{{Logic: "a"}}}}}},
					DifferenceScenarios: []ARScenario{{Statements: []ARStatement{{Logic: "b"}}}},
				},
				ARTooComplexFinding{},
				ARNoTranslationsFinding{},
				UnknownBlock{Name: "quantumFinding", Raw: cvRaw(`{"qubits":3}`)},
			}},
			InvocationMetrics: &GuardrailInvocationMetrics{GuardrailProcessingLatency: Ptr[int64](120), Usage: &usage, GuardrailCoverage: coverage},
			AppliedGuardrailDetails: &AppliedGuardrailDetails{GuardrailID: "abc123", GuardrailVersion: "1",
				GuardrailARN: "arn:aws:bedrock:us-east-1:123456789012:guardrail/abc123", GuardrailOrigin: []string{"REQUEST", "ACCOUNT_ENFORCED"},
				GuardrailOwnership: "SELF"},
		}},
		GuardrailCoverage: coverage,
	}
}

func TestApplyGuardrail(t *testing.T) {
	resp := readTestdata(t, "guardrail/response_full.json")
	rec, srv := newRecorder(t, respond(200, string(resp), "Content-Type", "application/json"))
	c := newTestClient(t, srv.URL, srv.Client())
	got, err := c.ApplyGuardrail(context.Background(), "arn:aws:bedrock:us-east-1:123456789012:guardrail/abc123", "DRAFT", &ApplyGuardrailInput{
		Source: GuardrailSourceInput,
		Content: []GuardrailContent{
			GuardrailText{Text: "Should I buy ACME stock? Mail jane@example.com", Qualifiers: []string{QualifierQuery}},
			GuardrailText{Text: "Grounding source text.", Qualifiers: []string{QualifierGroundingSource}},
			GuardrailImage{Format: ImageFormatPNG, Bytes: []byte("\x89PNG")},
		},
		OutputScope: GuardrailOutputScopeFull,
	})
	if err != nil {
		t.Fatalf("ApplyGuardrail: %v", err)
	}
	if diff := cmp.Diff(cvGuardrailWant(), got, cvJSONEqual); diff != "" {
		t.Errorf("output (-want +got):\n%s", diff)
	}
	checkGolden(t, "guardrail/request_full.txt", cvDump(rec.recorded()[0]))

	// re-encoding gives back the response, unknown finding included
	b, err := json.Marshal(got)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(cvRaw(string(resp)), cvRaw(string(b)), cvJSONEqual); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
}

func TestApplyGuardrailMinimalRequest(t *testing.T) {
	rec, srv := newRecorder(t, respond(200, `{"usage":{"topicPolicyUnits":0,"contentPolicyUnits":1,"wordPolicyUnits":0,"sensitiveInformationPolicyUnits":0,"sensitiveInformationPolicyFreeUnits":0,"contextualGroundingPolicyUnits":0},"action":"NONE","outputs":[],"assessments":[{}]}`,
		"Content-Type", "application/json"))
	c := newTestClient(t, srv.URL, srv.Client())
	got, err := c.ApplyGuardrail(context.Background(), "abc123", "7", &ApplyGuardrailInput{
		Source: GuardrailSourceOutput, Content: []GuardrailContent{GuardrailText{Text: "fine"}}})
	if err != nil {
		t.Fatal(err)
	}
	want := &ApplyGuardrailOutput{Action: GuardrailActionNone, Outputs: []GuardrailOutputContent{}, Assessments: []GuardrailAssessment{{}},
		Usage: GuardrailUsage{ContentPolicyUnits: 1}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	checkGolden(t, "guardrail/request_minimal.txt", cvDump(rec.recorded()[0]))
}

func TestApplyGuardrailInputErrors(t *testing.T) {
	_, srv := newRecorder(t, respond(500, `{}`))
	c := newTestClient(t, srv.URL, srv.Client())
	ctx := context.Background()
	ok := &ApplyGuardrailInput{Source: "INPUT", Content: []GuardrailContent{GuardrailText{Text: "x"}}}
	for _, tc := range []struct {
		id, version string
		in          *ApplyGuardrailInput
		want        string
	}{
		{"", "1", ok, "guardrail ID is empty"},
		{"g", "", ok, "version is empty"},
		{"g", "1", nil, "nil input"},
		{"g", "1", &ApplyGuardrailInput{}, "Source is empty"},
		{"g", "1", &ApplyGuardrailInput{Source: "INPUT", Content: []GuardrailContent{GuardrailImage{Bytes: []byte("data:image/png;base64,%%")}}}, "not base64"},
	} {
		_, err := c.ApplyGuardrail(ctx, tc.id, tc.version, tc.in)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q %q: error %v, want it to contain %q", tc.id, tc.version, err, tc.want)
		}
	}
}

func FuzzApplyGuardrailOutput(f *testing.F) {
	f.Add(readTestdata(f, "guardrail/response_full.json"))
	f.Add([]byte(`{"action":"NONE","outputs":[],"assessments":[{"automatedReasoningPolicy":{"findings":[{"valid":{}}]}}]}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		var out ApplyGuardrailOutput
		if err := json.Unmarshal(body, &out); err != nil {
			return
		}
		b, err := json.Marshal(out)
		if err != nil {
			t.Fatalf("decoded output does not re-encode: %v", err)
		}
		// encoding is stable: what was encoded decodes and encodes the same
		var again ApplyGuardrailOutput
		if err := json.Unmarshal(b, &again); err != nil {
			t.Fatalf("re-encoded output does not decode: %v\n%s", err, b)
		}
		b2, err := json.Marshal(again)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(string(b), string(b2)); diff != "" {
			t.Fatalf("second encoding differs (-first +second):\n%s", diff)
		}
	})
}
