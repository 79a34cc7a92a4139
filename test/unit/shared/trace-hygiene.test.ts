/**
 * What the tracer records (issue #13, item 11), as log-hygiene does for logs: the real TOTP enrolment
 * handler, in the real HTTP pipeline, with the Powertools tracer enabled and an X-Ray segment of the test's
 * own as the Lambda segment. Everything recorded under it (annotations, metadata, errors, subsegments) is
 * serialized as the SDK would send it, and the secret the answer carries must not be in it.
 */

import { GenerateDataKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { jest } from '@jest/globals';
import { mockClient } from 'aws-sdk-client-mock';
import { Segment, type Subsegment } from 'aws-xray-sdk-core';
import { httpEvent, lambdaContext } from '../../support/events.js';

// Powertools and the function's wiring read their configuration at import (restored after this file).
const savedEnv = { ...process.env };
// The tracer traces only in a Lambda execution environment.
process.env.AWS_EXECUTION_ENV = 'AWS_Lambda_nodejs20.x';
process.env.POWERTOOLS_TRACE_ENABLED = 'true';
process.env.POWERTOOLS_TRACER_CAPTURE_HTTPS_REQUESTS = 'false';
process.env.POWERTOOLS_METRICS_DISABLED = 'true';
process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
process.env.AWS_XRAY_CONTEXT_MISSING = 'IGNORE_ERROR';
process.env._HANDLER = 'functions/mfa/enrolment.handler';
process.env.AWS_REGION = 'us-east-1';
process.env.TABLE_NAME = 'tween';
process.env.KMS_KEY_ID = 'arn:aws:kms:us-east-1:123456789012:key/test';
process.env.MFA_KMS_KEY_ID = 'arn:aws:kms:us-east-1:123456789012:key/mfa-test';
const { tracer } = await import('../../../shared/observability/tracing.js');
const { handler } = await import('../../../functions/mfa/enrolment.js');

const kms = mockClient(KMSClient);
const dynamo = mockClient(DynamoDBDocumentClient);

/** The Lambda segment, and whichever (sub)segment the tracer makes current under it. Never sent: not sampled. */
function captureSegments(): Segment {
  const root = new Segment('tween-payments-test');
  root.notTraced = true;
  let current: Segment | Subsegment = root;
  jest.spyOn(tracer.provider, 'getSegment').mockImplementation(() => current);
  jest.spyOn(tracer.provider, 'setSegment').mockImplementation((segment) => {
    current = segment;
  });
  return root;
}

beforeEach(() => {
  kms.reset();
  dynamo.reset();
  kms.on(GenerateDataKeyCommand).resolves({
    Plaintext: new Uint8Array(32).fill(7),
    CiphertextBlob: new Uint8Array(64).fill(9),
    KeyId: process.env.MFA_KMS_KEY_ID,
  });
  dynamo.on(PutCommand).resolves({});
  // A first factor: nothing enrolled yet, so no step-up is asked for.
  dynamo.on(GetCommand).resolves({});
  dynamo.on(QueryCommand).resolves({ Items: [] });
});

afterEach(() => {
  jest.restoreAllMocks();
});

afterAll(() => {
  process.env = savedEnv;
});

describe('Tracer: TOTP enrolment', () => {
  it('records the invocation without the secret or the otpauth URI it answers', async () => {
    // Arrange
    const root = captureSegments();
    const event = httpEvent({
      routeKey: 'POST /payments/v1/user/{userId}/mfa/totp',
      rawPath: '/payments/v1/user/@alice:tween.example/mfa/totp',
      params: { userId: '@alice:tween.example' },
    });

    // Act
    const response = await handler(event, lambdaContext());

    // Assert
    expect(response.statusCode).toBe(201);
    const answer = JSON.parse(response.body ?? '') as { secret: string; otpauthUri: string };
    expect(answer.secret).toMatch(/^[A-Z2-7]{16,}$/);
    const trace = root.format();
    expect(trace).toContain('## functions/mfa/enrolment.handler'); // the handler was traced
    expect(trace).toContain('ColdStart');
    expect(trace).not.toContain(answer.secret);
    expect(trace).not.toContain(encodeURIComponent(answer.secret));
    expect(trace).not.toContain('otpauth://');
  });

  it('records a refused PIN enrolment as an error without the PIN it was sent', async () => {
    // Arrange
    const root = captureSegments();
    const pin = '98765'; // one digit short: refused by the schema
    const event = httpEvent({
      routeKey: 'PUT /payments/v1/user/{userId}/mfa/pin',
      rawPath: '/payments/v1/user/@alice:tween.example/mfa/pin',
      params: { userId: '@alice:tween.example' },
      body: { pin },
    });

    // Act
    const response = await handler(event, lambdaContext());

    // Assert
    expect(response.statusCode).toBe(400);
    const trace = root.format();
    expect(trace).toContain('## functions/mfa/enrolment.handler');
    expect(trace).not.toContain(pin);
  });
});
