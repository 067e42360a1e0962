package credentials

import (
	"bytes"
	"fmt"
	"strings"
)

// iniFile is one parsed shared config or credentials file: sections by their
// raw (trimmed) name, properties by lower-cased key. Sections that appear
// more than once are merged, later values winning.
type iniFile struct {
	sections map[string]map[string]string
}

// iniSyntaxError reports a line the parser does not accept.
type iniSyntaxError struct {
	Line   int
	Reason string
}

func (e *iniSyntaxError) Error() string {
	return fmt.Sprintf("line %d: %s", e.Line, e.Reason)
}

// maxINISize bounds what is read from one file; real files are a few KB.
const maxINISize = 4 << 20

// parseINI parses the INI dialect of the AWS CLI and SDKs:
//
//   - "[name]" starts a section; anything after "]" must be a comment;
//   - full-line comments start with '#' or ';'; in a value, '#' or ';'
//     preceded by a space or tab starts a comment;
//   - "key = value" (or "key: value", as Python's configparser allows; the
//     first '=' or ':' splits) sets a property; keys are case-insensitive;
//   - an indented line after "key =" with an empty value belongs to a
//     nested sub-section (such as "s3 =" followed by indented settings) and
//     is skipped;
//   - an indented line after "key = value" continues the value, joined
//     with a newline;
//   - blank lines end nothing; CRLF line ends and a UTF-8 BOM are accepted.
//
// A property outside any section, a line without a delimiter, an empty key,
// or a malformed section header is an error with its line number.
func parseINI(data []byte) (*iniFile, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	f := &iniFile{sections: map[string]map[string]string{}}
	var (
		section   map[string]string // current section, nil before the first
		lastKey   string            // last property set in this section
		inNested  bool              // lastKey had an empty value: indented lines are a sub-section
		lineNo    int
		remaining = data
	)
	for len(remaining) > 0 {
		lineNo++
		var line []byte
		if i := bytes.IndexByte(remaining, '\n'); i >= 0 {
			line, remaining = remaining[:i], remaining[i+1:]
		} else {
			line, remaining = remaining, nil
		}
		line = bytes.TrimSuffix(line, []byte("\r"))
		s := string(line)
		trimmed := strings.TrimSpace(s)
		if trimmed == "" || trimmed[0] == '#' || trimmed[0] == ';' {
			continue
		}
		indented := s[0] == ' ' || s[0] == '\t'
		if trimmed[0] == '[' {
			name, err := parseSectionHeader(trimmed)
			if err != nil {
				return nil, &iniSyntaxError{Line: lineNo, Reason: err.Error()}
			}
			name = normalizeSectionName(name)
			section = f.sections[name]
			if section == nil {
				section = map[string]string{}
				f.sections[name] = section
			}
			lastKey, inNested = "", false
			continue
		}
		if section == nil {
			return nil, &iniSyntaxError{Line: lineNo, Reason: "property before the first [section] header"}
		}
		if indented && lastKey != "" {
			if inNested {
				// A sub-section property: "  max_concurrent_requests = 20".
				if strings.IndexAny(trimmed, "=:") <= 0 {
					return nil, &iniSyntaxError{Line: lineNo, Reason: fmt.Sprintf("expected \"key = value\" in the nested section under %q", lastKey)}
				}
				continue
			}
			section[lastKey] += "\n" + stripInlineComment(trimmed)
			continue
		}
		i := strings.IndexAny(trimmed, "=:")
		if i < 0 {
			return nil, &iniSyntaxError{Line: lineNo, Reason: "expected \"key = value\" or \"[section]\""}
		}
		key := strings.ToLower(strings.TrimSpace(trimmed[:i]))
		if key == "" {
			return nil, &iniSyntaxError{Line: lineNo, Reason: "empty key"}
		}
		value := stripInlineComment(strings.TrimSpace(trimmed[i+1:]))
		section[key] = value
		lastKey, inNested = key, value == ""
	}
	return f, nil
}

func parseSectionHeader(trimmed string) (string, error) {
	end := strings.IndexByte(trimmed, ']')
	if end < 0 {
		return "", fmt.Errorf("section header %q has no closing ']'", truncate(trimmed, 60))
	}
	if rest := strings.TrimSpace(trimmed[end+1:]); rest != "" && rest[0] != '#' && rest[0] != ';' {
		return "", fmt.Errorf("unexpected text after section header: %q", truncate(rest, 60))
	}
	name := strings.TrimSpace(trimmed[1:end])
	if name == "" {
		return "", fmt.Errorf("empty section name")
	}
	return name, nil
}

// stripInlineComment removes a trailing comment that starts with '#' or ';'
// preceded by a space or tab.
func stripInlineComment(v string) string {
	for i := 1; i < len(v); i++ {
		if (v[i] == '#' || v[i] == ';') && (v[i-1] == ' ' || v[i-1] == '\t') {
			return strings.TrimSpace(v[:i])
		}
	}
	return v
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// normalizeSectionName folds the whitespace between a "profile" or
// "sso-session" prefix and the name to one space, so "[profile  x]" and
// "[profile x]" are the same section.
func normalizeSectionName(name string) string {
	for _, prefix := range [...]string{"profile", "sso-session"} {
		if n, ok := cutPrefixedName(name, prefix); ok {
			return prefix + " " + n
		}
	}
	return name
}

// configProfile returns the properties of a profile in a config file:
// "[profile name]", or for the default profile "[default]" merged with
// "[profile default]" (the latter winning). A bare "[name]" for another
// profile is ignored in a config file, as the AWS CLI does.
func (f *iniFile) configProfile(name string) (map[string]string, bool) {
	if f == nil {
		return nil, false
	}
	var merged map[string]string
	found := false
	if name == "default" {
		if s, ok := f.sections["default"]; ok {
			merged, found = copyProps(merged, s), true
		}
	}
	if s, ok := f.sections["profile "+name]; ok {
		merged, found = copyProps(merged, s), true
	}
	return merged, found
}

// credentialsProfile returns "[name]" of a credentials file.
func (f *iniFile) credentialsProfile(name string) (map[string]string, bool) {
	if f == nil {
		return nil, false
	}
	s, ok := f.sections[name]
	return s, ok
}

// ssoSession returns "[sso-session name]" of a config file.
func (f *iniFile) ssoSession(name string) (map[string]string, bool) {
	if f == nil {
		return nil, false
	}
	s, ok := f.sections["sso-session "+name]
	return s, ok
}

// cutPrefixedName splits "profile  name" into "name": the prefix, then at
// least one space or tab, then the name.
func cutPrefixedName(section, prefix string) (string, bool) {
	rest, ok := strings.CutPrefix(section, prefix)
	if !ok || rest == "" || (rest[0] != ' ' && rest[0] != '\t') {
		return "", false
	}
	name := strings.TrimSpace(rest)
	return name, name != ""
}

func copyProps(dst, src map[string]string) map[string]string {
	if dst == nil {
		dst = make(map[string]string, len(src))
	}
	for k, v := range src {
		dst[k] = v
	}
	return dst
}
