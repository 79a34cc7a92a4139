import {
  assertScope,
  type MerchantCaller,
  MerchantStateError,
  nextMerchantStatus,
  statusesAllowing,
} from '../../../shared/domain/merchant.js';

describe('merchant lifecycle', () => {
  it.each([
    ['pending_verification', 'verify_email', 'kyc_required'],
    ['kyc_required', 'submit_kyc', 'in_review'],
    ['rejected', 'submit_kyc', 'in_review'],
    ['in_review', 'approve', 'active'],
    ['in_review', 'reject', 'rejected'],
  ] as const)('%s --%s--> %s', (from, event, to) => {
    expect(nextMerchantStatus(from, event)).toBe(to);
  });

  it.each([
    ['active', 'approve'],
    ['rejected', 'reject'],
    ['pending_verification', 'submit_kyc'],
    ['kyc_required', 'verify_email'],
    ['active', 'submit_kyc'],
  ] as const)('refuses %s --%s with MERCHANT_STATE', (from, event) => {
    expect(() => nextMerchantStatus(from, event)).toThrow(MerchantStateError);
    try {
      nextMerchantStatus(from, event);
    } catch (error) {
      expect(error).toMatchObject({ code: 'MERCHANT_STATE', details: { status: from, event } });
    }
  });

  it('names the statuses a decision may leave from', () => {
    expect(statusesAllowing('submit_kyc').sort()).toEqual(['kyc_required', 'rejected']);
  });
});

describe('API key scopes', () => {
  const caller: MerchantCaller = {
    merchantId: 'mch_1',
    mode: 'test',
    keyId: 'key_1',
    scopes: ['payments:read'],
  };

  it('passes a key that has the scope and refuses one that lacks it', () => {
    expect(() => assertScope(caller, 'payments:read')).not.toThrow();
    expect(() => assertScope(caller, 'refunds:write')).toThrow(
      expect.objectContaining({ code: 'INSUFFICIENT_SCOPE', details: { scope: 'refunds:write' } }),
    );
  });
});
