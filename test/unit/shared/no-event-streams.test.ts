/**
 * What the bundles carry instead of the SDK's event-stream codec (shared/adapters/aws/no-event-streams.ts,
 * an esbuild alias): should an operation ever need one, it fails before anything is sent.
 */
import { EventStreamSerde, eventStreamSerdeProvider } from '../../../shared/adapters/aws/no-event-streams.js';
import { LAMBDA_ALIASES } from '../../../shared/infra/bundling.js';

describe('No event streams in the Lambda bundles', () => {
  it('stands for @smithy/core/event-streams and refuses both ways in', () => {
    expect(LAMBDA_ALIASES['@smithy/core/event-streams']).toBe('./shared/adapters/aws/no-event-streams.ts');
    expect(() => eventStreamSerdeProvider()).toThrow(/event streams are not bundled/);
    expect(() => new EventStreamSerde()).toThrow(/event streams are not bundled/);
  });
});
