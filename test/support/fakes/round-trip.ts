/**
 * The in-memory fakes of the ports (one file per port, here) keep the contract of their adapters in
 * shared/adapters and nothing more; test/contract runs each fake and its DynamoDB adapter through the same
 * cases. Every fake yields to the event loop between its read and its write where the adapter makes two
 * round trips, so concurrent twins interleave as they would against DynamoDB.
 */

/** Lets other pending promises run, as a network round trip would. */
export function roundTrip(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
