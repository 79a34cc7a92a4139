/**
 * What the SDK's default credential chain becomes in a Lambda bundle (an esbuild alias of
 * `@aws-sdk/credential-provider-node`, see LAMBDA_CREDENTIALS_ALIAS): Lambda hands every function its role's
 * credentials in the environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN), so the chain
 * stops at its first link. The rest of it (SSO, STS web identity, INI files, IMDS, with the nested STS and
 * SSO clients they bring) never runs in Lambda but costs about 80 KiB and its import time in every bundle.
 * Never used outside a bundle: the local stack and the tests keep the SDK's whole chain.
 */
import { fromEnv } from '@aws-sdk/credential-provider-env';

export const defaultProvider: typeof fromEnv = (init) => fromEnv(init);
