package credentials

import "fmt"

// ResolveRegion finds the AWS region as the SDKs do: opts.Region,
// AWS_REGION, AWS_DEFAULT_REGION, then the region setting of the selected
// profile. With none it returns an error that says what to set. A value
// that is not a plausible region name (lower-case letters, digits, dashes)
// is an error too, since it becomes part of a host name.
func ResolveRegion(opts Options) (string, error) {
	if r := envRegion(&opts); r != "" {
		return checkRegion(r)
	}
	sf, err := loadSharedFiles(&opts)
	if err != nil {
		return "", fmt.Errorf("credentials: resolving region: %w", err)
	}
	name := opts.profileName()
	if props, ok := sf.profile(name); ok && props["region"] != "" {
		return checkRegion(props["region"])
	}
	return "", fmt.Errorf("credentials: no AWS region configured: set AWS_REGION (for example AWS_REGION=us-east-1) or add \"region = us-east-1\" to profile %q in %s", name, sf.configPath)
}

func checkRegion(r string) (string, error) {
	if !validRegion(r) {
		return "", fmt.Errorf("credentials: region %q is not a valid region name", truncate(r, 40))
	}
	return r, nil
}

func envRegion(o *Options) string {
	if o.Region != "" {
		return o.Region
	}
	if r := o.getenv("AWS_REGION"); r != "" {
		return r
	}
	return o.getenv("AWS_DEFAULT_REGION")
}

// regionFrom is the region for STS calls made while resolving a profile.
func regionFrom(o *Options, props map[string]string) string {
	if r := envRegion(o); r != "" {
		return r
	}
	return props["region"]
}
