package credentials

import (
	"errors"
	"testing"

	"github.com/bedrockwire/bedrockwire/sigv4"
	"github.com/google/go-cmp/cmp"
)

func TestEnvProvider(t *testing.T) {
	tests := []struct {
		name    string
		env     env
		want    sigv4.Credentials
		wantErr string
		notConf bool
	}{
		{
			name: "modern names with token",
			env:  env{"AWS_ACCESS_KEY_ID": "AKID", "AWS_SECRET_ACCESS_KEY": "SECRET", "AWS_SESSION_TOKEN": "TOKEN"},
			want: sigv4.Credentials{AccessKeyID: "AKID", SecretAccessKey: "SECRET", SessionToken: "TOKEN", Source: "Environment"},
		},
		{
			name: "old names",
			env:  env{"AWS_ACCESS_KEY": "OLDID", "AWS_SECRET_KEY": "OLDSECRET"},
			want: sigv4.Credentials{AccessKeyID: "OLDID", SecretAccessKey: "OLDSECRET", Source: "Environment"},
		},
		{
			name: "modern names win over old",
			env:  env{"AWS_ACCESS_KEY_ID": "NEW", "AWS_ACCESS_KEY": "OLD", "AWS_SECRET_ACCESS_KEY": "S1", "AWS_SECRET_KEY": "S2"},
			want: sigv4.Credentials{AccessKeyID: "NEW", SecretAccessKey: "S1", Source: "Environment"},
		},
		{
			name:    "nothing set",
			env:     env{"AWS_SESSION_TOKEN": "orphan"},
			wantErr: "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set",
			notConf: true,
		},
		{
			name:    "only the id",
			env:     env{"AWS_ACCESS_KEY_ID": "AKID"},
			wantErr: "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not",
		},
		{
			name:    "only the old secret",
			env:     env{"AWS_SECRET_KEY": "S"},
			wantErr: "AWS_SECRET_KEY is set but AWS_ACCESS_KEY_ID is not",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := retrieve(t, EnvProvider{Getenv: tt.env.get})
			if errText(err) != orNil(tt.wantErr) {
				t.Fatalf("error: got %s, want %s", errText(err), orNil(tt.wantErr))
			}
			if errors.Is(err, ErrNotConfigured) != tt.notConf {
				t.Errorf("errors.Is(err, ErrNotConfigured) = %v, want %v", !tt.notConf, tt.notConf)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("credentials (-want +got):\n%s", diff)
			}
		})
	}
}

func orNil(s string) string {
	if s == "" {
		return "<nil>"
	}
	return s
}
