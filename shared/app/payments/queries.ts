import { NotFoundError } from '../../domain/errors.js';
import type { Payment } from '../../domain/payment.js';
import type { PaymentRepository } from './ports.js';

/**
 * The caller's payment. Someone else's payment id answers exactly like an unknown one (404), so ids never
 * reveal that a payment exists.
 */
export async function paymentOf(
  callerId: string,
  paymentId: string,
  payments: PaymentRepository,
): Promise<Payment> {
  const payment = await payments.get(paymentId);
  if (payment === undefined || payment.userId !== callerId) throw new NotFoundError('Payment');
  return payment;
}
