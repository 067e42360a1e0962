package credentials

import (
	"context"
	"os"

	"github.com/bedrockwire/bedrockwire/sigv4"
)

// SourceEnvironment is the Source of credentials read from the environment.
const SourceEnvironment = "Environment"

// EnvProvider reads AWS_ACCESS_KEY_ID (or AWS_ACCESS_KEY),
// AWS_SECRET_ACCESS_KEY (or AWS_SECRET_KEY) and AWS_SESSION_TOKEN.
// The zero value reads the process environment.
type EnvProvider struct {
	// Getenv reads a variable. Nil: os.Getenv.
	Getenv func(string) string
}

// Retrieve returns the environment's credentials. With neither key set the
// error matches ErrNotConfigured; with only one of the pair set it says
// which one is missing.
func (p EnvProvider) Retrieve(ctx context.Context) (sigv4.Credentials, error) {
	getenv := p.Getenv
	if getenv == nil {
		getenv = os.Getenv
	}
	idName, id := "AWS_ACCESS_KEY_ID", getenv("AWS_ACCESS_KEY_ID")
	if id == "" {
		idName, id = "AWS_ACCESS_KEY", getenv("AWS_ACCESS_KEY")
	}
	secretName, secret := "AWS_SECRET_ACCESS_KEY", getenv("AWS_SECRET_ACCESS_KEY")
	if secret == "" {
		secretName, secret = "AWS_SECRET_KEY", getenv("AWS_SECRET_KEY")
	}
	switch {
	case id == "" && secret == "":
		return sigv4.Credentials{}, notConfigured("AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set")
	case id == "":
		return sigv4.Credentials{}, errorf("%s is set but AWS_ACCESS_KEY_ID is not", secretName)
	case secret == "":
		return sigv4.Credentials{}, errorf("%s is set but AWS_SECRET_ACCESS_KEY is not", idName)
	}
	return sigv4.Credentials{
		AccessKeyID:     id,
		SecretAccessKey: secret,
		SessionToken:    getenv("AWS_SESSION_TOKEN"),
		Source:          SourceEnvironment,
	}, nil
}
