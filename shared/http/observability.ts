/**
 * Powertools instances, created once per cold start and shared by every handler in the bundle.
 * Configured by the standard POWERTOOLS_* environment variables.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';

const serviceName = 'tween-payments';

export const logger = new Logger({ serviceName });
export const metrics = new Metrics({ serviceName, namespace: 'TweenPayments' });
export const tracer = new Tracer({ serviceName });
