// Package credentials finds AWS credentials and the AWS region the way the
// AWS SDKs and the AWS CLI do, using only the standard library.
//
// [NewDefaultChain] tries, in order:
//
//  1. the environment: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and
//     AWS_SESSION_TOKEN (or the older AWS_ACCESS_KEY and AWS_SECRET_KEY);
//  2. the shared config and credentials files (~/.aws/config and
//     ~/.aws/credentials, or AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE)
//     for the selected profile: static keys, credential_process, role_arn with
//     source_profile or credential_source (STS AssumeRole),
//     web_identity_token_file, and IAM Identity Center (sso_session or the
//     legacy sso_* keys, read from the SSO token cache; for sso_session
//     profiles an expired or nearly expired token is refreshed through SSO
//     OIDC and written back to the cache, as the AWS CLI v2 does);
//  3. web identity: AWS_WEB_IDENTITY_TOKEN_FILE with AWS_ROLE_ARN (EKS IRSA);
//  4. the container credentials endpoint (ECS task roles, EKS Pod Identity);
//  5. EC2 instance metadata (IMDSv2).
//
// A source that is not configured is skipped; a source that is configured
// but fails stops the chain, as in the AWS CLI, so a broken profile is never
// silently replaced by another identity. When nothing yields credentials the
// error is a [*ChainError] that names every source tried and why each one
// did not answer.
//
// Every source is also available on its own ([EnvProvider],
// [ProfileProvider], [ProcessProvider], [WebIdentityProvider],
// [AssumeRoleProvider], [SSOProvider], [ContainerProvider], [IMDSProvider]).
//
// STS calls are plain query-protocol HTTP requests signed with
// [github.com/bedrockwire/bedrockwire/sigv4]; the SSO portal is called with
// its bearer token. Network calls to instance metadata and the container
// endpoint use short timeouts and honour the context.
//
// [ResolveRegion] finds the region: an explicit option, AWS_REGION,
// AWS_DEFAULT_REGION, then the profile's region setting.
//
// Nothing in this package prints a secret: errors, String methods and %v of
// [Options] and of the providers never contain secret keys or tokens.
package credentials
