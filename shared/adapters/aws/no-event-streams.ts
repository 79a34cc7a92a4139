/**
 * What `@smithy/core/event-streams` becomes in a Lambda bundle (an esbuild alias, shared/infra/bundling.ts).
 * The SDK's protocols load it, with a dynamic import, only for an operation whose input or output is an event
 * stream; none of the clients the functions bundle (DynamoDB, SQS, Step Functions, KMS, EventBridge, Secrets
 * Manager) has such an operation, yet esbuild put the whole codec (15 KiB) in every bundle with a client.
 * test/infra/bundle-contents.test.ts checks that no bundled client's schemas carry a streaming member, and
 * should an operation ever need an event stream it fails here, before anything is sent. Never used outside
 * a bundle: the local stack and the tests keep the SDK's own.
 */

function refused(): Error {
  return new Error(
    'AWS SDK event streams are not bundled in this function (shared/adapters/aws/no-event-streams.ts)',
  );
}

/** The SDK builds one for an event-stream operation only: never here. */
export class EventStreamSerde {
  constructor() {
    throw refused();
  }
}

/** Called, before EventStreamSerde, for an event-stream operation only: never here. */
export function eventStreamSerdeProvider(): never {
  throw refused();
}

/**
 * S3's client resolves its event-stream marshaller when it is built, for SelectObjectContent, which no
 * function calls (KYC uploads are presigned PUTs, checked with HeadObject). The marshaller it gets refuses
 * to work, so such an operation would fail here, before anything is sent, like every other event stream.
 */
export function resolveEventStreamSerdeConfig<T extends object>(
  input: T,
): T & { eventStreamMarshaller: { serialize(): never; deserialize(): never } } {
  return Object.assign(input, {
    eventStreamMarshaller: {
      serialize(): never {
        throw refused();
      },
      deserialize(): never {
        throw refused();
      },
    },
  });
}
