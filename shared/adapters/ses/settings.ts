/** The mail settings' names, shared by the composition that reads them and the CDK construct that sets them. */
export const MAIL_FROM_ENV = 'MAIL_FROM';
export const DEFAULT_MAIL_FROM = 'no-reply@tween.example';
