package credentials

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseINIDialect(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want map[string]map[string]string
	}{
		{
			name: "profiles, comments and spacing",
			in: "\xef\xbb\xbf# leading comment\r\n" +
				"; another\n" +
				"[default]\r\n" +
				"region=us-east-1\n" +
				"  \n" +
				"[ profile   dev ]   # trailing comment on a header\n" +
				"Region = eu-west-1 ; inline comment\n" +
				"role_arn = arn:aws:iam::123456789012:role/dev\n" +
				"url = https://example.com/#fragment\n" +
				"[profile semi];comment right after the bracket\n" +
				"x=1\n",
			want: map[string]map[string]string{
				"default":      {"region": "us-east-1"},
				"profile dev":  {"region": "eu-west-1", "role_arn": "arn:aws:iam::123456789012:role/dev", "url": "https://example.com/#fragment"},
				"profile semi": {"x": "1"},
			},
		},
		{
			name: "nested sub-sections are skipped, continuation lines join",
			in: "[profile p]\n" +
				"s3 =\n" +
				"  max_concurrent_requests = 20\n" +
				"\tsignature_version = s3v4\n" +
				"region = us-west-2\n" +
				"credential_process = /bin/tool\n" +
				"  --flag\n",
			want: map[string]map[string]string{
				"profile p": {"s3": "", "region": "us-west-2", "credential_process": "/bin/tool\n--flag"},
			},
		},
		{
			name: "colon delimiter and first delimiter wins",
			in:   "[x]\nkey: value=with=equals\nrole_arn=arn:aws:iam::1:role/r\n",
			want: map[string]map[string]string{
				"x": {"key": "value=with=equals", "role_arn": "arn:aws:iam::1:role/r"},
			},
		},
		{
			name: "repeated sections merge, later values win",
			in:   "[profile a]\nk=1\nj=1\n[profile b]\nk=2\n[profile  a]\nk=3\n",
			want: map[string]map[string]string{
				"profile a": {"k": "3", "j": "1"},
				"profile b": {"k": "2"},
			},
		},
		{
			name: "empty values, empty file sections",
			in:   "[empty]\n[e2]\nk =\n",
			want: map[string]map[string]string{"empty": {}, "e2": {"k": ""}},
		},
		{
			name: "sso-session sections are normalised too",
			in:   "[sso-session   corp]\nsso_region = us-east-1\n",
			want: map[string]map[string]string{"sso-session corp": {"sso_region": "us-east-1"}},
		},
		{
			name: "indented property right after a header is a property",
			in:   "[a]\n  k = v\n",
			want: map[string]map[string]string{"a": {"k": "v"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := parseINI([]byte(tt.in))
			if err != nil {
				t.Fatalf("parseINI: %v", err)
			}
			if diff := cmp.Diff(tt.want, f.sections); diff != "" {
				t.Errorf("sections (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseINIErrors(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"key = value\n", "line 1: property before the first [section] header"},
		{"[a]\njust words\n", `line 2: expected "key = value" or "[section]"`},
		{"[a]\n = v\n", "line 2: empty key"},
		{"[a\n", `line 1: section header "[a" has no closing ']'`},
		{"[]\n", "line 1: empty section name"},
		{"[a] b\n", `line 1: unexpected text after section header: "b"`},
		{"# c\r\n\r\n[a]\ns3 =\n  not a property\n", `line 5: expected "key = value" in the nested section under "s3"`},
	}
	for _, tt := range tests {
		_, err := parseINI([]byte(tt.in))
		if got := errText(err); got != tt.want {
			t.Errorf("parseINI(%q) error:\n got %s\nwant %s", tt.in, got, tt.want)
		}
	}
}

func TestConfigProfileLookup(t *testing.T) {
	f, err := parseINI([]byte("[default]\na=1\nb=1\n[profile default]\nb=2\n[dev]\nx=bare\n[profile dev]\nx=prefixed\n"))
	if err != nil {
		t.Fatal(err)
	}
	got, ok := f.configProfile("default")
	if diff := cmp.Diff(map[string]string{"a": "1", "b": "2"}, got); !ok || diff != "" {
		t.Errorf("configProfile(default) ok=%v (-want +got):\n%s", ok, diff)
	}
	got, _ = f.configProfile("dev")
	if diff := cmp.Diff(map[string]string{"x": "prefixed"}, got); diff != "" {
		t.Errorf("configProfile(dev): a bare [dev] must be ignored in config (-want +got):\n%s", diff)
	}
	got, _ = f.credentialsProfile("dev")
	if diff := cmp.Diff(map[string]string{"x": "bare"}, got); diff != "" {
		t.Errorf("credentialsProfile(dev) (-want +got):\n%s", diff)
	}
	if _, ok := f.configProfile("missing"); ok {
		t.Error("configProfile(missing) found a profile")
	}
	var nilFile *iniFile
	if _, ok := nilFile.configProfile("default"); ok {
		t.Error("nil file has a profile")
	}
}

func FuzzParseINI(f *testing.F) {
	for _, s := range []string{
		"[default]\naws_access_key_id = AKID\n",
		"[profile x]\ns3 =\n  a = b\nk = v ; c\n  cont\n",
		"[sso-session s]\nsso_start_url=https://x/start#/\n",
		"\xef\xbb\xbf[a]\r\nk:v\r\n",
		"[a] # c\n;x\n#y\n",
		"k=v\n",
		"[",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := parseINI(data)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "line ") {
				t.Fatalf("error without a line number: %v", err)
			}
			return
		}
		for name, props := range file.sections {
			if name == "" || name != strings.TrimSpace(name) {
				t.Fatalf("bad section name %q", name)
			}
			for k, v := range props {
				if k == "" || k != strings.ToLower(k) || k != strings.TrimSpace(k) {
					t.Fatalf("bad key %q", k)
				}
				if v != strings.TrimSpace(v) && !strings.Contains(v, "\n") {
					t.Fatalf("value %q of %q not trimmed", v, k)
				}
			}
		}
	})
}
