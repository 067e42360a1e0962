package client

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
)

// partition is one AWS partition as the endpoint rule set sees it.
type partition struct {
	name               string
	regionPrefixes     []string // a region is {prefix}{word}-{digits}
	dnsSuffix          string
	dualStackDNSSuffix string
	supportsFIPS       bool
	supportsDualStack  bool
}

// partitions lists the AWS partitions (from the SDKs' partitions.json), the
// default "aws" last: a region that matches no other pattern is in "aws".
var partitions = []partition{
	{"aws-cn", []string{"cn-"}, "amazonaws.com.cn", "api.amazonwebservices.com.cn", true, true},
	{"aws-us-gov", []string{"us-gov-"}, "amazonaws.com", "api.aws", true, true},
	{"aws-iso", []string{"us-iso-"}, "c2s.ic.gov", "api.aws.ic.gov", true, true},
	{"aws-iso-b", []string{"us-isob-"}, "sc2s.sgov.gov", "api.aws.scloud", true, true},
	{"aws-iso-e", []string{"eu-isoe-"}, "cloud.adc-e.uk", "api.cloud-aws.adc-e.uk", true, true},
	{"aws-iso-f", []string{"us-isof-"}, "csp.hci.ic.gov", "api.aws.hci.ic.gov", true, true},
	{"aws-eusc", []string{"eusc-de-"}, "amazonaws.eu", "api.amazonwebservices.eu", true, true},
	{"aws", []string{"us-", "eu-", "ap-", "sa-", "ca-", "me-", "af-", "il-", "mx-"}, "amazonaws.com", "api.aws", true, true},
}

// matches reports whether region follows the partition's region pattern,
// ^{prefix}\w+-\d+$ in the SDKs' partitions.json, checked by hand so that
// the client does not link the regexp package.
func (p partition) matches(region string) bool {
	for _, prefix := range p.regionPrefixes {
		if rest, ok := strings.CutPrefix(region, prefix); ok && isWordDashDigits(rest) {
			return true
		}
	}
	return false
}

// isWordDashDigits reports whether s is one or more of [A-Za-z0-9_], a
// dash, then one or more digits.
func isWordDashDigits(s string) bool {
	dash := strings.IndexByte(s, '-')
	if dash <= 0 || dash == len(s)-1 {
		return false
	}
	for i := 0; i < dash; i++ {
		if c := s[i]; !isAlnum(c) && c != '_' {
			return false
		}
	}
	for i := dash + 1; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// isHostLabel reports whether region can stand in a host name:
// ^[a-zA-Z0-9][a-zA-Z0-9-]{0,62}$.
func isHostLabel(region string) bool {
	if region == "" || len(region) > 63 || !isAlnum(region[0]) {
		return false
	}
	for i := 1; i < len(region); i++ {
		if c := region[i]; !isAlnum(c) && c != '-' {
			return false
		}
	}
	return true
}

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

func partitionFor(region string) partition {
	for _, p := range partitions {
		if p.matches(region) {
			return p
		}
	}
	return partitions[len(partitions)-1]
}

// service is one of the three Bedrock services the client calls. They sign
// alike (SigningName) and differ only in their host.
type service uint8

const (
	serviceRuntime      service = iota // bedrock-runtime: the default
	serviceControlPlane                // bedrock: model catalog, inference profiles, batch jobs
	serviceAgentRuntime                // bedrock-agent-runtime: Rerank
	numServices
)

// serviceHosts are the host labels of the services' endpoint rule sets,
// which are otherwise identical.
var serviceHosts = [numServices]string{"bedrock-runtime", "bedrock", "bedrock-agent-runtime"}

// serviceEndpoint is the resolved base URL of a service, or why it has none.
type serviceEndpoint struct {
	_   noCompare
	url *url.URL
	err error
}

// resolveEndpoint returns the base URL of Bedrock Runtime following the
// service's endpoint rule set: a custom endpoint verbatim (not combined with
// FIPS or dual-stack), else https://bedrock-runtime[-fips].{region}.{suffix}.
func resolveEndpoint(region, endpoint string, useFIPS, useDualStack bool) (*url.URL, error) {
	return resolveServiceEndpoint(serviceRuntime, region, endpoint, useFIPS, useDualStack)
}

// resolveServiceEndpoint is resolveEndpoint for any of the three services:
// https://{host}[-fips].{region}.{suffix}.
func resolveServiceEndpoint(svc service, region, endpoint string, useFIPS, useDualStack bool) (*url.URL, error) {
	if endpoint != "" {
		if useFIPS {
			return nil, errors.New("invalid configuration: FIPS and custom endpoint are not supported")
		}
		if useDualStack {
			return nil, errors.New("invalid configuration: dual-stack and custom endpoint are not supported")
		}
		return parseEndpoint(endpoint)
	}
	if region == "" {
		return nil, errors.New("missing region: set Options.Region (or AWS_REGION), or an endpoint")
	}
	if !isHostLabel(region) {
		return nil, fmt.Errorf("invalid region %q: not a valid host label", region)
	}
	p := partitionFor(region)
	host := serviceHosts[svc]
	if useFIPS {
		if !p.supportsFIPS {
			return nil, fmt.Errorf("FIPS is enabled but partition %s (region %s) does not support FIPS", p.name, region)
		}
		host += "-fips"
	}
	suffix := p.dnsSuffix
	if useDualStack {
		if !p.supportsDualStack {
			return nil, fmt.Errorf("dual-stack is enabled but partition %s (region %s) does not support dual-stack", p.name, region)
		}
		suffix = p.dualStackDNSSuffix
	}
	return &url.URL{Scheme: "https", Host: host + "." + region + "." + suffix}, nil
}

// parseEndpoint checks a custom endpoint: an absolute https URL, or http to
// a loopback host; no query or fragment.
func parseEndpoint(endpoint string) (*url.URL, error) {
	u, err := url.Parse(endpoint)
	if err != nil {
		return nil, fmt.Errorf("invalid endpoint %q: %v", endpoint, err)
	}
	if u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return nil, fmt.Errorf("invalid endpoint %q: want an absolute URL such as https://host[:port]", endpoint)
	}
	if u.User != nil {
		return nil, fmt.Errorf("invalid endpoint %q: user information is not allowed", redactURL(u))
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("invalid endpoint %q: query and fragment are not allowed", endpoint)
	}
	if u.Scheme == "http" && !isLoopback(u.Hostname()) {
		return nil, fmt.Errorf("refusing plain http endpoint %q: credentials would travel in clear text; use https (http is allowed only to loopback)", endpoint)
	}
	u.Path = strings.TrimSuffix(u.Path, "/")
	u.RawPath = strings.TrimSuffix(u.RawPath, "/")
	return u, nil
}

func redactURL(u *url.URL) string {
	c := *u
	c.User = nil
	return c.String()
}

// isLoopback reports whether host names the local machine: localhost or a
// loopback IP address.
func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") || strings.HasSuffix(strings.ToLower(host), ".localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// escapeLabel percent-encodes s as a non-greedy Smithy path label: every byte
// that is not RFC 3986 unreserved (A-Z a-z 0-9 - . _ ~) becomes %XX, so ":" is
// "%3A" and "/" is "%2F".
func escapeLabel(s string) string {
	n := 0
	for i := 0; i < len(s); i++ {
		if !unreserved(s[i]) {
			n++
		}
	}
	if n == 0 {
		return s
	}
	const hex = "0123456789ABCDEF"
	b := make([]byte, 0, len(s)+2*n)
	for i := 0; i < len(s); i++ {
		c := s[i]
		if unreserved(c) {
			b = append(b, c)
		} else {
			b = append(b, '%', hex[c>>4], hex[c&15])
		}
	}
	return string(b)
}

func unreserved(c byte) bool {
	return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' ||
		c == '-' || c == '.' || c == '_' || c == '~'
}

// modelPath returns "/model/" + the model ID or ARN escaped as one path label
// + "/" + suffix.
func modelPath(modelID, suffix string) string {
	return "/model/" + escapeLabel(modelID) + "/" + suffix
}

// endpointFor returns the base URL requests to svc go to.
func (c *Client) endpointFor(svc service) (*url.URL, error) {
	if svc == serviceRuntime || svc >= numServices {
		return c.endpoint, nil
	}
	e := c.endpoints[svc]
	if e.url == nil && e.err == nil {
		return c.endpoint, nil
	}
	return e.url, e.err
}
