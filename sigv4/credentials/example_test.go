package credentials_test

import (
	"context"
	"fmt"

	"github.com/bedrockwire/bedrockwire/sigv4/credentials"
)

// A program finds its credentials and region the way the AWS CLI does. Here
// the environment is faked; leave Getenv nil to read the real one.
func ExampleNewDefaultChain() {
	fakeEnv := map[string]string{
		"AWS_ACCESS_KEY_ID":     "AKIAIOSFODNN7EXAMPLE",
		"AWS_SECRET_ACCESS_KEY": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
		"AWS_REGION":            "us-east-1",
	}
	opts := credentials.Options{Getenv: func(k string) string { return fakeEnv[k] }}

	provider := credentials.NewDefaultChain(opts)
	creds, err := provider.Retrieve(context.Background())
	if err != nil {
		fmt.Println(err)
		return
	}
	region, err := credentials.ResolveRegion(opts)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(creds) // the secret is never printed
	fmt.Println(region)
	// Output:
	// Credentials{AccessKeyID: AKIAIOSFODNN7EXAMPLE, SecretAccessKey: [redacted], Source: Environment}
	// us-east-1
}

// ResolveRegion says what to set when no region is configured.
func ExampleResolveRegion() {
	opts := credentials.Options{
		Getenv:     func(string) string { return "" },
		ConfigFile: "/nonexistent/config",
		HomeDir:    "/home/example",
	}
	_, err := credentials.ResolveRegion(opts)
	fmt.Println(err)
	// Output:
	// credentials: no AWS region configured: set AWS_REGION (for example AWS_REGION=us-east-1) or add "region = us-east-1" to profile "default" in /nonexistent/config
}

// One source on its own: assume a role with the keys of the environment.
func ExampleAssumeRoleProvider() {
	p := credentials.AssumeRoleProvider{
		Source:          credentials.EnvProvider{},
		RoleARN:         "arn:aws:iam::123456789012:role/bedrock-invoker",
		RoleSessionName: "nightly-batch",
		Region:          "us-west-2",
	}
	_ = p // p.Retrieve(ctx) calls https://sts.us-west-2.amazonaws.com
}
