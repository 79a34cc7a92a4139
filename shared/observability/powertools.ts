/**
 * Powertools instances, created once per cold start and shared by every handler in the bundle.
 * Configured by the standard POWERTOOLS_* environment variables. Every log line passes through the
 * redaction of `log-redaction.ts`, so no level or event-logging switch can write a credential. The tracer is
 * not here: only the functions that trace import it (tracing.ts).
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { redactSecrets } from './log-redaction.js';

const serviceName = 'tween-payments';

export const logger = new Logger({ serviceName, jsonReplacerFn: redactSecrets });
export const metrics = new Metrics({ serviceName, namespace: 'TweenPayments' });
