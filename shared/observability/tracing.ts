/**
 * The Powertools tracer, for the functions that trace (shared/infra/functions.ts marks them `traced`; each
 * entry imports this module first). Importing it installs the tracer into trace-hooks.ts: from then on every
 * AWS SDK client the function creates is captured, and the HTTP pipeline traces each invocation.
 *
 * Traces never record an answer: some carry secrets (a TOTP enrolment's secret and otpauth URI, step-up
 * tokens), the rest a user's data. What remains is timing, the cold-start and service annotations, errors
 * that escape the pipeline (our own messages, never a body), and the AWS SDK and HTTP subsegments
 * (operation, table, URL, status: no payloads or headers). test/unit/shared/trace-hygiene.test.ts holds it.
 */
import { Tracer } from '@aws-lambda-powertools/tracer';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import { installTracing } from './trace-hooks.js';

export const tracer = new Tracer({ serviceName: 'tween-payments' });

installTracing({
  captureClient: (client) => tracer.captureAWSv3Client(client),
  handlerMiddleware: () => captureLambdaHandler(tracer, { captureResponse: false }),
});
