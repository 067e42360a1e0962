package credentials

import (
	"errors"
	"strconv"
	"strings"
	"unicode/utf8"
)

// xmlNode is one element of a small XML document: its local name (prefix
// dropped), its character data, and its child elements. STS answers with
// documents of this shape; a full encoding/xml would cost the binary more
// than the whole credential chain.
type xmlNode struct {
	name     string
	text     strings.Builder
	children []*xmlNode
}

// child returns the first child element named name, or nil.
func (n *xmlNode) child(name string) *xmlNode {
	for _, c := range n.children {
		if c.name == name {
			return c
		}
	}
	return nil
}

// childText returns the character data of the named child, or "".
func (n *xmlNode) childText(name string) string {
	if c := n.child(name); c != nil {
		return c.text.String()
	}
	return ""
}

var errXML = errors.New("not valid XML")

const (
	maxXMLDepth    = 32
	maxXMLElements = 4096
)

// parseXML parses a well-formed document with one root element. It skips
// the XML declaration, comments, processing instructions and a DOCTYPE,
// ignores attributes, decodes the five predefined entities and character
// references, and refuses mismatched tags, stray text outside the root and
// documents nested deeper than maxXMLDepth.
func parseXML(data []byte) (*xmlNode, error) {
	s := string(data)
	var (
		root     *xmlNode
		stack    []*xmlNode
		elements int
	)
	for i := 0; i < len(s); {
		if s[i] != '<' {
			j := strings.IndexByte(s[i:], '<')
			if j < 0 {
				j = len(s) - i
			}
			text := s[i : i+j]
			i += j
			if len(stack) == 0 {
				if strings.TrimSpace(text) != "" {
					return nil, errXML
				}
				continue
			}
			if err := appendXMLText(&stack[len(stack)-1].text, text); err != nil {
				return nil, err
			}
			continue
		}
		rest := s[i:]
		switch {
		case strings.HasPrefix(rest, "<!--"):
			end := strings.Index(rest[4:], "-->")
			if end < 0 {
				return nil, errXML
			}
			i += 4 + end + 3
		case strings.HasPrefix(rest, "<?"):
			end := strings.Index(rest, "?>")
			if end < 0 {
				return nil, errXML
			}
			i += end + 2
		case strings.HasPrefix(rest, "<![CDATA["):
			end := strings.Index(rest, "]]>")
			if end < 0 || len(stack) == 0 {
				return nil, errXML
			}
			stack[len(stack)-1].text.WriteString(rest[9:end])
			i += end + 3
		case strings.HasPrefix(rest, "<!"):
			if root != nil || len(stack) > 0 {
				return nil, errXML
			}
			end := strings.IndexByte(rest, '>')
			if end < 0 {
				return nil, errXML
			}
			i += end + 1
		case strings.HasPrefix(rest, "</"):
			end := strings.IndexByte(rest, '>')
			if end < 0 || len(stack) == 0 {
				return nil, errXML
			}
			name := localName(strings.TrimSpace(rest[2:end]))
			if name != stack[len(stack)-1].name {
				return nil, errXML
			}
			stack = stack[:len(stack)-1]
			i += end + 1
		default:
			end := strings.IndexByte(rest, '>')
			if end < 0 {
				return nil, errXML
			}
			tag := rest[1:end]
			selfClosing := strings.HasSuffix(tag, "/")
			if selfClosing {
				tag = tag[:len(tag)-1]
			}
			nameEnd := strings.IndexAny(tag, " \t\r\n")
			if nameEnd < 0 {
				nameEnd = len(tag)
			}
			name := localName(tag[:nameEnd])
			if name == "" || strings.ContainsAny(name, "<&\"'=") {
				return nil, errXML
			}
			elements++
			if elements > maxXMLElements || len(stack) >= maxXMLDepth {
				return nil, errXML
			}
			n := &xmlNode{name: name}
			if len(stack) == 0 {
				if root != nil {
					return nil, errXML // a second root
				}
				root = n
			} else {
				parent := stack[len(stack)-1]
				parent.children = append(parent.children, n)
			}
			if !selfClosing {
				stack = append(stack, n)
			}
			i += end + 1
		}
	}
	if root == nil || len(stack) != 0 {
		return nil, errXML
	}
	return root, nil
}

// localName drops a namespace prefix: "sts:Credentials" → "Credentials".
func localName(qname string) string {
	if i := strings.IndexByte(qname, ':'); i >= 0 {
		return qname[i+1:]
	}
	return qname
}

// appendXMLText decodes entity and character references in text.
func appendXMLText(b *strings.Builder, text string) error {
	for {
		amp := strings.IndexByte(text, '&')
		if amp < 0 {
			b.WriteString(text)
			return nil
		}
		b.WriteString(text[:amp])
		text = text[amp:]
		semi := strings.IndexByte(text, ';')
		if semi < 0 || semi > 12 {
			return errXML
		}
		ref := text[1:semi]
		text = text[semi+1:]
		switch ref {
		case "amp":
			b.WriteByte('&')
		case "lt":
			b.WriteByte('<')
		case "gt":
			b.WriteByte('>')
		case "quot":
			b.WriteByte('"')
		case "apos":
			b.WriteByte('\'')
		default:
			if !strings.HasPrefix(ref, "#") {
				return errXML
			}
			base, digits := 10, ref[1:]
			if strings.HasPrefix(digits, "x") {
				base, digits = 16, digits[1:]
			}
			n, err := strconv.ParseUint(digits, base, 32)
			if err != nil || !utf8.ValidRune(rune(n)) {
				return errXML
			}
			b.WriteRune(rune(n))
		}
	}
}
