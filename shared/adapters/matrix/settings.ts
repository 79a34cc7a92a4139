/**
 * Names shared by the Matrix adapter, the local stack and the CDK app. Locally the access token is a
 * variable; on AWS it is a secret of its own in Secrets Manager (a plain string, not JSON), whose ARN the
 * publisher finds in MATRIX_TOKEN_SECRET_ARN.
 */
export const MATRIX_HOMESERVER_URL_ENV = 'MATRIX_HOMESERVER_URL';
export const MATRIX_ACCESS_TOKEN_ENV = 'MATRIX_ACCESS_TOKEN';
export const MATRIX_TOKEN_SECRET_ENV = 'MATRIX_TOKEN_SECRET_ARN';

export const matrixTokenSecretDefinition = {
  description:
    'Tween Payments: access token of the Matrix publisher (the payments bot), set by the platform team',
} as const;
