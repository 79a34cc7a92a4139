/** The customer-managed KMS key: functions learn its ARN from this variable, locally and on AWS. */
export const KEY_ENV = 'KMS_KEY_ID';
