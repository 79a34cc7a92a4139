import type { Ledger } from '../../../shared/app/ports.js';
import type { TransferCommand } from '../../../shared/domain/ledger.js';

/**
 * The ledger side of an adapter's transaction of state and money, as the adapters treat it: a transfer
 * already made is not made again, and a release of a hold that is no longer pending is nothing.
 */
export async function settle(ledger: Ledger | undefined, command: TransferCommand): Promise<void> {
  if (ledger === undefined) throw new Error('This fake was built without the ledger it moves money on');
  if ((await ledger.transfer(command.id)) !== undefined) return;
  if (command.type === 'void_pending' && (await ledger.transfer(command.pendingId))?.state !== 'pending')
    return;
  await ledger.execute(command);
}
