package credentials

import (
	"strings"
	"testing"
)

func TestParseXML(t *testing.T) {
	doc := `<?xml version="1.0" encoding="UTF-8"?>
<!-- STS -->
<sts:R xmlns:sts="https://sts.amazonaws.com/doc/2011-06-15/" a="1">
  <A>x &amp; y &lt;z&gt; &quot;q&quot; &apos;s&apos; &#65;&#x42;</A>
  <B/>
  <C><![CDATA[<raw>&amp;]]></C>
  <sts:D>d</sts:D>
</sts:R>`
	root, err := parseXML([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	if root.name != "R" || len(root.children) != 4 {
		t.Fatalf("root %q with %d children", root.name, len(root.children))
	}
	for name, want := range map[string]string{"A": `x & y <z> "q" 's' AB`, "B": "", "C": "<raw>&amp;", "D": "d"} {
		if got := root.childText(name); got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
	if root.child("E") != nil || root.childText("E") != "" {
		t.Error("missing child found")
	}
}

func TestParseXMLRejects(t *testing.T) {
	for _, in := range []string{
		"",
		"text only",
		"<a>",
		"<a></b>",
		"<a></a><b></b>",
		"<a>&bogus;</a>",
		"<a>&#xZZ;</a>",
		"<a>&#1114112;</a>",
		"<a>&amp</a>",
		"<a><!-- open</a>",
		"<a><?pi</a>",
		"<a><![CDATA[x</a>",
		"<a",
		"</a>",
		"<>x</>",
		"<a>x</a>trailing",
		"<a><!DOCTYPE x></a>",
		strings.Repeat("<a>", maxXMLDepth+1) + strings.Repeat("</a>", maxXMLDepth+1),
		"<r>" + strings.Repeat("<e/>", maxXMLElements) + "</r>",
	} {
		if n, err := parseXML([]byte(in)); err == nil {
			t.Errorf("parseXML(%.60q) = %v, want an error", in, n.name)
		}
	}
}

func FuzzParseXML(f *testing.F) {
	f.Add([]byte(`<a b="c"><d>e &amp; f</d><g/><![CDATA[h]]><!-- i --></a>`))
	f.Add([]byte(`<?xml version="1.0"?><!DOCTYPE a><a>&#x41;</a>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		root, err := parseXML(data)
		if err != nil {
			if root != nil {
				t.Fatal("node returned with an error")
			}
			return
		}
		if root.name == "" {
			t.Fatal("root without a name")
		}
	})
}
