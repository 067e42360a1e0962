package modelspec

import (
	"errors"
	"fmt"
	"strings"
)

// Kind says what a model identifier names.
type Kind string

// The kinds of model identifier Bedrock accepts.
const (
	// KindFoundationModel is a base model ID ("amazon.nova-pro-v1:0"), a
	// Provisioned Throughput model ID ("amazon.nova-pro-v1:0:300k") or a
	// foundation-model ARN.
	KindFoundationModel Kind = "foundation-model"
	// KindInferenceProfile is a system-defined cross-Region inference
	// profile ID ("us.amazon.nova-pro-v1:0", "global.…") or its ARN.
	KindInferenceProfile Kind = "inference-profile"
	// KindApplicationInferenceProfile is an application inference profile ARN.
	KindApplicationInferenceProfile Kind = "application-inference-profile"
	// KindProvisionedModel is the ARN of purchased Provisioned Throughput.
	KindProvisionedModel Kind = "provisioned-model"
	// KindCustomModel is a custom (fine-tuned, distilled…) model ARN.
	KindCustomModel Kind = "custom-model"
	// KindCustomModelDeployment is an on-demand custom model deployment ARN.
	KindCustomModelDeployment Kind = "custom-model-deployment"
	// KindImportedModel is a Custom Model Import ARN.
	KindImportedModel Kind = "imported-model"
	// KindPromptRouter is a prompt router ARN (default-prompt-router or
	// prompt-router).
	KindPromptRouter Kind = "prompt-router"
	// KindPrompt is a Prompt Management prompt ARN.
	KindPrompt Kind = "prompt"
	// KindMarketplaceEndpoint is a SageMaker endpoint ARN (Bedrock
	// Marketplace).
	KindMarketplaceEndpoint Kind = "marketplace-endpoint"
	// KindName is a bare name with no provider: the name of a provisioned
	// or custom model, which only the service can resolve.
	KindName Kind = "name"
)

// Geographic prefixes of system-defined inference profile IDs.
var geoPrefixes = []string{"us", "us-gov", "eu", "apac", "jp", "au", "ca", "global"}

// maxIDLength is the longest model identifier the service accepts.
const maxIDLength = 2048

// ID is a parsed model identifier.
type ID struct {
	// Raw is the identifier as given.
	Raw  string
	Kind Kind

	// ARN parts, set when Raw is an ARN.
	Partition string // "aws", "aws-us-gov", "aws-cn", …
	Region    string
	Account   string
	// Resource is the last part of an ARN's resource: the generated ID of
	// a provisioned, custom, imported or deployed model or of an
	// application inference profile, the name of a prompt router, or the
	// ID of a prompt (with its ":version").
	Resource string

	// Geo is the inference profile prefix ("us", "eu", "apac", "global",
	// …) or "".
	Geo string
	// Provider is the provider segment ("anthropic"), Name the model name
	// ("claude-3-5-sonnet-20241022-v2"), Version the number after the
	// first colon ("0"), Context the Provisioned Throughput context suffix
	// after the second colon ("8k", "mm"), lower-cased.
	Provider string
	Name     string
	Version  string
	Context  string
}

// IsARN reports whether the ID was given as an ARN.
func (id ID) IsARN() bool { return id.Partition != "" }

// Model returns the model ID the identifier names without geography or
// context suffix ("anthropic.claude-3-5-sonnet-20241022-v2:0"), or "" when
// it names none (an application inference profile ARN, for instance).
func (id ID) Model() string {
	if id.Provider == "" {
		return ""
	}
	s := id.Provider + "." + id.Name
	if id.Version != "" {
		s += ":" + id.Version
	}
	return s
}

// Bare returns the identifier without ARN syntax: the profile or model ID
// with its geography prefix and context suffix ("us.anthropic.…:0",
// "amazon.titan-text-express-v1:0:8k"), or "" when it names no model.
func (id ID) Bare() string {
	s := id.Model()
	if s == "" {
		return ""
	}
	if id.Geo != "" {
		s = id.Geo + "." + s
	}
	if id.Context != "" {
		if id.Version == "" {
			s += ":"
		}
		s += ":" + id.Context
	}
	return s
}

// String returns Raw.
func (id ID) String() string { return id.Raw }

// ErrInvalidID is matched (errors.Is) by every error Parse returns.
var ErrInvalidID = errors.New("invalid model ID")

// IDError reports an identifier Parse cannot read.
type IDError struct {
	ID     string
	Reason string
}

// Error describes the problem and, where it can, what would work.
func (e *IDError) Error() string {
	return fmt.Sprintf("modelspec: invalid model ID %q: %s", truncateID(e.ID), e.Reason)
}

// Is makes errors.Is(err, ErrInvalidID) true.
func (e *IDError) Is(target error) bool { return target == ErrInvalidID }

// truncateID shortens absurdly long input for error messages.
func truncateID(s string) string {
	if len(s) > 120 {
		return s[:117] + "..."
	}
	return s
}

// Parse reads a model identifier in any form Bedrock accepts: a base model
// ID, a Provisioned Throughput model ID with its context suffix, a
// geographic or global inference profile ID, a bare provisioned or custom
// model name, or an ARN of a foundation model, inference profile,
// application inference profile, provisioned model, custom model (or its
// deployment), imported model, prompt router, prompt or SageMaker endpoint.
// It checks syntax only; Lookup tells whether the catalog knows the model.
func Parse(s string) (ID, error) {
	bad := func(format string, args ...any) (ID, error) {
		return ID{}, &IDError{ID: s, Reason: fmt.Sprintf(format, args...)}
	}
	switch {
	case s == "":
		return bad("empty")
	case len(s) > maxIDLength:
		return bad("longer than %d bytes", maxIDLength)
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.' || c == ':' || c == '/') {
			return bad("character %q at offset %d is not allowed", c, i)
		}
	}
	if strings.HasPrefix(s, "arn:") {
		return parseARN(s)
	}
	if strings.Contains(s, "/") {
		return bad("'/' is only allowed in ARNs")
	}
	id := ID{Raw: s}
	if !strings.Contains(s, ".") {
		if strings.Contains(s, ":") {
			return bad("no provider: a model ID looks like provider.model-name-v1:0")
		}
		id.Kind = KindName
		id.Name = s
		return id, nil
	}
	if err := parseModelID(&id, s, true); err != nil {
		return bad("%s", err)
	}
	id.Kind = KindFoundationModel
	if id.Geo != "" {
		id.Kind = KindInferenceProfile
	}
	return id, nil
}

// parseModelID fills the geography, provider, name, version and context of
// id from s ("us.anthropic.claude-…-v2:0", "amazon.titan-text-express-v1:0:8k").
func parseModelID(id *ID, s string, allowGeo bool) error {
	rest := s
	if first, after, ok := strings.Cut(s, "."); ok && strings.Contains(after, ".") && isGeo(first) {
		if !allowGeo {
			return fmt.Errorf("inference profile prefix %q not allowed here", first+".")
		}
		id.Geo = first
		rest = after
	}
	provider, model, ok := strings.Cut(rest, ".")
	if !ok {
		return errors.New("no provider: a model ID looks like provider.model-name-v1:0")
	}
	if err := checkSegment("provider", provider); err != nil {
		return err
	}
	parts := strings.Split(model, ":")
	if len(parts) > 3 {
		return fmt.Errorf("%d colons; a model ID has at most two (name:version:context)", len(parts)-1)
	}
	if err := checkSegment("model name", parts[0]); err != nil {
		return err
	}
	if strings.Contains(parts[0], ".") {
		if id.Geo == "" {
			// x.provider.name: an unknown prefix rather than a dotted name.
			return fmt.Errorf("unknown inference profile prefix %q (known: %s)", provider+".", strings.Join(geoPrefixes, ", "))
		}
		return errors.New("too many '.' separators; a profile ID looks like geo.provider.model-name-v1:0")
	}
	id.Provider, id.Name = provider, parts[0]
	if len(parts) >= 2 {
		if parts[1] == "" && len(parts) == 2 {
			return errors.New("empty version after ':'")
		}
		if parts[1] != "" && !isDigits(parts[1]) {
			return fmt.Errorf("version %q is not a number", parts[1])
		}
		id.Version = parts[1]
	}
	if len(parts) == 3 {
		if err := checkSegment("context suffix", parts[2]); err != nil {
			return err
		}
		id.Context = strings.ToLower(parts[2])
	}
	return nil
}

// checkSegment requires a non-empty run of letters, digits and hyphens that
// neither starts nor ends with a hyphen.
func checkSegment(what, s string) error {
	if s == "" {
		return fmt.Errorf("empty %s", what)
	}
	if len(s) > 63 && what != "model name" {
		return fmt.Errorf("%s longer than 63 characters", what)
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-') {
			if c == '.' && what == "model name" {
				continue
			}
			return fmt.Errorf("%s %q contains %q", what, s, c)
		}
	}
	return nil
}

func isGeo(s string) bool {
	for _, g := range geoPrefixes {
		if s == g {
			return true
		}
	}
	return false
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// parseARN reads arn:PARTITION:SERVICE:REGION:ACCOUNT:TYPE/RESOURCE.
func parseARN(s string) (ID, error) {
	bad := func(format string, args ...any) (ID, error) {
		return ID{}, &IDError{ID: s, Reason: fmt.Sprintf(format, args...)}
	}
	f := strings.SplitN(s, ":", 6)
	if len(f) != 6 {
		return bad("an ARN has six colon-separated fields (arn:partition:service:region:account:resource)")
	}
	id := ID{Raw: s, Partition: f[1], Region: f[3], Account: f[4]}
	service, res := f[2], f[5]
	if id.Partition != "aws" && !(strings.HasPrefix(id.Partition, "aws-") && len(id.Partition) > 4) {
		return bad("partition %q is not aws or aws-…", id.Partition)
	}
	if err := checkSegment("region", id.Region); err != nil {
		return bad("%s", err)
	}
	typ, rest, ok := strings.Cut(res, "/")
	if !ok || rest == "" {
		return bad("resource %q has no type/ID", res)
	}
	if service == "sagemaker" {
		if typ != "endpoint" {
			return bad("sagemaker resource type %q is not endpoint", typ)
		}
		if err := needAccount(id.Account); err != nil {
			return bad("%s", err)
		}
		if err := checkResource(rest, false); err != nil {
			return bad("%s", err)
		}
		id.Kind, id.Resource = KindMarketplaceEndpoint, rest
		return id, nil
	}
	if service != "bedrock" {
		return bad("service %q is not bedrock", service)
	}
	if typ == "foundation-model" {
		if id.Account != "" {
			return bad("a foundation-model ARN has an empty account field")
		}
	} else if err := needAccount(id.Account); err != nil {
		return bad("%s", err)
	}
	switch typ {
	case "foundation-model":
		id.Kind = KindFoundationModel
		if err := parseModelID(&id, rest, false); err != nil {
			return bad("%s", err)
		}
	case "inference-profile":
		id.Kind = KindInferenceProfile
		if err := parseModelID(&id, rest, true); err != nil {
			return bad("%s", err)
		}
		if id.Geo == "" {
			return bad("inference profile %q has no geography prefix (us., eu., global., …)", rest)
		}
	case "application-inference-profile", "provisioned-model", "imported-model", "custom-model-deployment":
		id.Kind = Kind(typ)
		if err := checkResource(rest, false); err != nil {
			return bad("%s", err)
		}
		id.Resource = rest
	case "custom-model":
		id.Kind = KindCustomModel
		base, gen, found := strings.Cut(rest, "/")
		if found {
			if err := parseModelID(&id, base, false); err != nil {
				return bad("custom model base: %s", err)
			}
			rest = gen
		}
		if err := checkResource(rest, false); err != nil {
			return bad("%s", err)
		}
		id.Resource = rest
	case "default-prompt-router", "prompt-router":
		id.Kind = KindPromptRouter
		if err := checkResource(rest, true); err != nil {
			return bad("%s", err)
		}
		id.Resource = rest
	case "prompt":
		id.Kind = KindPrompt
		name, version, hasVersion := strings.Cut(rest, ":")
		if err := checkResource(name, false); err != nil {
			return bad("%s", err)
		}
		if hasVersion && !isDigits(version) {
			return bad("prompt version %q is not a number", version)
		}
		id.Resource = rest
	default:
		return bad("resource type %q does not name a model", typ)
	}
	return id, nil
}

func needAccount(a string) error {
	if len(a) != 12 || !isDigits(a) {
		return fmt.Errorf("account %q is not 12 digits", a)
	}
	return nil
}

// checkResource requires a non-empty resource ID without further slashes;
// colons and dots are allowed only where the service allows them.
func checkResource(s string, colonsAndDots bool) error {
	if s == "" {
		return errors.New("empty resource ID")
	}
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '/':
			return fmt.Errorf("resource ID %q contains '/'", s)
		case (c == ':' || c == '.') && !colonsAndDots:
			return fmt.Errorf("resource ID %q contains %q", s, c)
		}
	}
	return nil
}
