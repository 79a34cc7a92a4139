/** The push settings' names, shared by the composition that reads them and the CDK construct that sets them. */
export const PUSH_APPLICATION_ENVS = {
  apns: 'PUSH_APNS_APPLICATION_ARN',
  fcm: 'PUSH_FCM_APPLICATION_ARN',
} as const;
