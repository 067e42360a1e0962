package modelspec

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// ErrUnsupportedAPI is matched (errors.Is) by CheckAPI's errors when the
// model does not answer the API.
var ErrUnsupportedAPI = errors.New("model does not answer this API")

// ErrUnavailableInRegion is matched (errors.Is) by CheckRegion's errors.
var ErrUnavailableInRegion = errors.New("model ID not usable from this Region")

// ErrEndOfLife is matched (errors.Is) by CheckAPI's error for a model past
// its end of life, whose ID no longer works.
var ErrEndOfLife = errors.New("model past its end of life")

// endOfLifeError is CheckAPI's error for a model past its end of life.
type endOfLifeError string

func (e endOfLifeError) Error() string { return string(e) }

// Is makes errors.Is(err, ErrEndOfLife) true.
func (e endOfLifeError) Is(target error) bool { return target == ErrEndOfLife }

// UnsupportedAPIError reports a call of an API the model does not answer, or
// a call through an ID that cannot be invoked at all.
type UnsupportedAPIError struct {
	ID  string
	API API
	// Supported are the APIs the model does answer.
	Supported []API
	// Hint says what would work, as a full sentence fragment.
	Hint string
}

// Error describes the problem and, where it can, what would work.
func (e *UnsupportedAPIError) Error() string {
	return "modelspec: " + e.Hint
}

// Is makes errors.Is(err, ErrUnsupportedAPI) true.
func (e *UnsupportedAPIError) Is(target error) bool { return target == ErrUnsupportedAPI }

// RegionError reports an ID that cannot be used from a Region.
type RegionError struct {
	ID     string
	Region string
	// Alternatives are IDs of the same model that can be used from Region.
	Alternatives []string
	Hint         string
}

// Error describes the problem and, where it can, what would work.
func (e *RegionError) Error() string { return "modelspec: " + e.Hint }

// Is makes errors.Is(err, ErrUnavailableInRegion) true.
func (e *RegionError) Is(target error) bool { return target == ErrUnavailableInRegion }

// CheckAPI reports whether id may be called through api. The error names
// what would work:
//
//	amazon.nova-2-sonic-v1:0 answers only InvokeModelWithBidirectionalStream
//
// A Provisioned Throughput model ID is refused for every API: it buys
// throughput, and the provisioned model's ARN is what is called. A model
// past its end of life is refused with an error matching ErrEndOfLife.
// Errors from Lookup (ErrInvalidID, ErrUnknownModel) are returned as is.
func CheckAPI(id string, api API) error {
	if !slices.Contains(APIs, api) {
		return fmt.Errorf("modelspec: unknown API %q (known: %s)", api, joinAPIs(APIs, ", "))
	}
	r, err := mustCatalog().resolve(id, false)
	if err != nil {
		return err
	}
	m := &r.Model
	if m.Lifecycle.Status == StatusEndOfLife {
		return endOfLifeError(fmt.Sprintf("modelspec: %s is past its end of life and its ID no longer works; see the active %s models", m.ID, m.Provider))
	}
	if !m.Supports(api) {
		name := m.ID
		if m.ID != id {
			name = fmt.Sprintf("%s (%s)", id, m.ID)
		}
		hint := fmt.Sprintf("%s answers only %s, not %s", name, joinAPIs(m.APIs, " and "), api)
		if len(m.APIs) == 0 {
			hint = fmt.Sprintf("%s answers no Bedrock Runtime API", name)
		}
		return &UnsupportedAPIError{ID: id, API: api, Supported: slices.Clone(m.APIs), Hint: hint}
	}
	if r.Form == FormProvisioned {
		hint := fmt.Sprintf("%s is a Provisioned Throughput model ID: buy throughput with it (CreateProvisionedModelThroughput) and call %s with the provisioned model ARN", id, api)
		if ids := onDemandIDs(m); len(ids) > 0 {
			hint += ", or call " + ids[0] + " on demand"
		}
		return &UnsupportedAPIError{ID: id, API: api, Supported: slices.Clone(m.APIs), Hint: hint}
	}
	return nil
}

// onDemandIDs returns the IDs of m that can be called without provisioning:
// the base ID when it has on-demand throughput, then its profiles.
func onDemandIDs(m *Model) []string {
	var out []string
	if slices.Contains(m.InferenceTypes, OnDemand) {
		out = append(out, m.ID)
	}
	for _, p := range m.InferenceProfiles {
		out = append(out, p.ID)
	}
	return out
}

// CheckRegion reports whether id can be called from region (the Region of
// the bedrock-runtime endpoint). The error names what would work:
//
//	anthropic.claude-3-5-sonnet-20241022-v2:0 needs an inference profile such as us.anthropic.claude-3-5-sonnet-20241022-v2:0 in us-east-1
//
// A model whose in-Region availability the catalog does not fully know is
// not refused for a Region it does not list. An ARN naming another Region
// than region is refused. Errors from Lookup are returned as is.
func CheckRegion(id, region string) error {
	if err := checkSegment("region", region); err != nil {
		return fmt.Errorf("modelspec: invalid region: %w", err)
	}
	r, err := mustCatalog().resolve(id, false)
	if err != nil {
		return err
	}
	m := &r.Model
	fail := func(hint string, alts []string) error {
		return &RegionError{ID: id, Region: region, Alternatives: alts, Hint: hint}
	}
	if r.ID.IsARN() && r.ID.Region != region {
		return fail(fmt.Sprintf("%s names Region %s, but the request goes to %s", id, r.ID.Region, region), nil)
	}
	profiles := m.ProfilesFrom(region)
	profileIDs := make([]string, len(profiles))
	for i, p := range profiles {
		profileIDs[i] = p.ID
	}
	if r.Form == FormProfile {
		p := r.Profile
		if slices.Contains(p.SourceRegions, region) {
			return nil
		}
		var alts []string
		if m.InRegion(region) && slices.Contains(m.InferenceTypes, OnDemand) {
			alts = append(alts, m.ID)
		}
		alts = append(alts, profileIDs...)
		hint := fmt.Sprintf("%s is not served from %s (it is from %s)", p.ID, region, joinRegions(p.SourceRegions))
		if len(alts) > 0 {
			hint += "; use " + strings.Join(alts, " or ")
		} else if len(p.SourceRegions) > 0 {
			hint += "; send the request to " + p.SourceRegions[0]
		}
		return fail(hint, alts)
	}
	if r.Form == FormProvisioned || r.Form == FormCustom {
		// Provisioned Throughput is bought, and custom models are
		// deployed, per Region; the catalog cannot tell where.
		return nil
	}
	onDemand := slices.Contains(m.InferenceTypes, OnDemand)
	profileOnlyHere := slices.Contains(m.ProfileOnlyRegions, region)
	if onDemand && m.InRegion(region) && !profileOnlyHere {
		return nil
	}
	if onDemand && !m.RegionsComplete && !profileOnlyHere {
		// Not listed, but not ruled out either.
		return nil
	}
	var hint string
	switch {
	case len(profileIDs) > 0:
		hint = fmt.Sprintf("%s needs an inference profile such as %s in %s", id, profileIDs[0], region)
	case !onDemand && len(m.InferenceProfiles) > 0:
		hint = fmt.Sprintf("%s needs an inference profile, and none serves %s (%s)", id, region, describeProfiles(m.InferenceProfiles))
	case !onDemand:
		hint = fmt.Sprintf("%s has no on-demand throughput; buy Provisioned Throughput and call the provisioned model ARN", id)
	case len(m.Regions) > 0:
		hint = fmt.Sprintf("%s is not available in %s; it is in-Region in %s", id, region, joinRegions(m.Regions))
		if len(m.InferenceProfiles) > 0 {
			hint += ", and through " + describeProfiles(m.InferenceProfiles)
		}
	case len(m.InferenceProfiles) > 0:
		hint = fmt.Sprintf("%s is not available in-Region in %s; use %s", id, region, describeProfiles(m.InferenceProfiles))
	default:
		hint = fmt.Sprintf("%s is not available in %s", id, region)
	}
	return fail(hint, profileIDs)
}

// describeProfiles lists profiles with their first source Regions.
func describeProfiles(ps []Profile) string {
	parts := make([]string, len(ps))
	for i, p := range ps {
		parts[i] = fmt.Sprintf("%s from %s", p.ID, joinRegions(p.SourceRegions))
	}
	return strings.Join(parts, "; ")
}

// joinRegions lists regions, abbreviating long lists.
func joinRegions(rs []string) string {
	const most = 6
	if len(rs) == 0 {
		return "no Region"
	}
	if len(rs) > most {
		return strings.Join(rs[:most], ", ") + fmt.Sprintf(" and %d more", len(rs)-most)
	}
	return strings.Join(rs, ", ")
}

func joinAPIs(apis []API, sep string) string {
	s := make([]string, len(apis))
	for i, a := range apis {
		s[i] = string(a)
	}
	if sep == " and " && len(s) > 2 {
		return strings.Join(s[:len(s)-1], ", ") + " and " + s[len(s)-1]
	}
	return strings.Join(s, sep)
}

// ParseAPI returns the API named s, ignoring case.
func ParseAPI(s string) (API, error) {
	for _, a := range APIs {
		if strings.EqualFold(string(a), s) {
			return a, nil
		}
	}
	return "", fmt.Errorf("modelspec: unknown API %q (known: %s)", s, joinAPIs(APIs, ", "))
}

// ParseModality returns the Modality named s, ignoring case.
func ParseModality(s string) (Modality, error) {
	for _, m := range Modalities {
		if strings.EqualFold(string(m), s) {
			return m, nil
		}
	}
	names := make([]string, len(Modalities))
	for i, m := range Modalities {
		names[i] = string(m)
	}
	return "", fmt.Errorf("modelspec: unknown modality %q (known: %s)", s, strings.Join(names, ", "))
}
