/**
 * Errors in PayPal's shape: the HTTP status, PayPal's error name and, for most, one `details[].issue`
 * (server.ts writes them as `{name, message, debug_id, details: [{issue}]}`).
 */
export class PayPalError extends Error {
  constructor(
    readonly status: number,
    readonly errorName: string,
    readonly issue?: string,
  ) {
    super(issue ?? errorName);
  }
}

/** 404 for an id this server does not know, as PayPal answers it. */
export function resourceNotFound(): PayPalError {
  return new PayPalError(404, 'RESOURCE_NOT_FOUND', 'INVALID_RESOURCE_ID');
}
