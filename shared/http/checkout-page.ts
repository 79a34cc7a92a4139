/**
 * The hosted checkout page (API.md "Billing and checkout"), server-rendered: no framework and no script, so
 * it works without JavaScript; inline CSS allowed by its hash under a strict Content-Security-Policy and no
 * request to anywhere else. Accessible: `lang`, a viewport for phones, labels on every field, the natural
 * keyboard order, a visible focus ring, AA contrast, errors announced (`role=alert`).
 */
import { createHash } from 'node:crypto';
import type { CheckoutSession } from '../domain/checkout-session.js';
import { formatAmount } from '../domain/money-format.js';

/** The cards the page offers: Stripe's test payment methods (the page has no Stripe.js to take a number). */
export const CHECKOUT_CARDS = [
  { id: 'pm_card_visa', label: 'Visa ending in 4242' },
  { id: 'pm_card_mastercard', label: 'Mastercard ending in 4444' },
  { id: 'pm_card_authenticationRequired', label: 'Visa ending in 3184 (asks for 3-D Secure)' },
  { id: 'pm_card_chargeDeclined', label: 'Visa ending in 0002 (declined)' },
] as const;

const STYLE = `
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1a1a1a;background:#f4f5f7}
main{max-width:32rem;margin:0 auto;padding:1.5rem 1rem}
h1{font-size:1.5rem;margin:0 0 .25rem}
h2{font-size:1.125rem;margin:1.5rem 0 .5rem}
.card{background:#fff;border:1px solid #c9ccd1;border-radius:8px;padding:1rem;margin-top:1rem}
.card h2{margin-top:0}
table{width:100%;border-collapse:collapse}
td,th{padding:.375rem 0;text-align:left;vertical-align:top}
td.amount,th.amount{text-align:right;white-space:nowrap}
tfoot th,tfoot td{border-top:1px solid #c9ccd1;font-weight:700;font-size:1.125rem}
.total{font-size:2rem;font-weight:700;margin:.25rem 0 0}
label,legend{display:block;font-weight:600;margin:.75rem 0 .25rem}
fieldset{border:0;margin:0;padding:0}
.choice{display:flex;align-items:center;gap:.5rem;font-weight:400;margin:.25rem 0}
input[type=email]{width:100%;padding:.625rem;font:inherit;border:1px solid #5f6368;border-radius:6px}
input[type=radio]{width:1.25rem;height:1.25rem;margin:0}
button{width:100%;margin-top:1.25rem;padding:.75rem;font:inherit;font-weight:700;color:#fff;background:#1d4ed8;border:0;border-radius:6px;cursor:pointer}
a{color:#1d4ed8}
:focus-visible{outline:3px solid #b45309;outline-offset:2px}
.alert{background:#fdecea;color:#8a1c12;border:1px solid #8a1c12;border-radius:6px;padding:.75rem;margin:1rem 0}
.note{color:#4a4f57}
.cancel{display:block;text-align:center;margin-top:1rem}
`;

const STYLE_HASH = createHash('sha256').update(STYLE).digest('base64');

/**
 * Nothing loads from anywhere, no script runs, the page is never framed, and no form posts elsewhere. The
 * POST may redirect to the merchant's success_url or the card's authentication page: Chrome holds form
 * redirects to form-action too, so the page lists those two origins.
 */
export function checkoutPolicy(allowedFormOrigins: readonly string[]): string {
  const formAction = ["'self'", ...new Set(allowedFormOrigins)].join(' ');
  return [
    "default-src 'none'",
    `style-src 'sha256-${STYLE_HASH}'`,
    "base-uri 'none'",
    "frame-ancestors 'none'",
    `form-action ${formAction}`,
  ].join('; ');
}

function html(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char] ?? char,
  );
}

export interface CheckoutPageInput {
  session: CheckoutSession;
  merchantName: string;
  /** The absolute URL the form posts to (`/checkout/{id}`). */
  action: string;
  /** Shown above the form, announced: a decline, a failed authentication. */
  error?: string;
  /** The form's last values, kept after an error. */
  email?: string;
  paymentMethod?: string;
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${html(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`;
}

function summary(session: CheckoutSession): string {
  const rows = session.lineItems
    .map(
      (line, index) =>
        `<tr><td>Item ${index + 1}${line.quantity > 1 ? ` × ${line.quantity}` : ''}</td><td class="amount">${html(formatAmount(line.amountTotal, session.currency))}</td></tr>`,
    )
    .join('\n');
  const every = session.sessionMode === 'subscription' ? ' <span class="note">(recurring)</span>' : '';
  return `<section class="card" aria-labelledby="summary-title">
<h2 id="summary-title">Order summary</h2>
<table>
<thead><tr><th scope="col">Item</th><th scope="col" class="amount">Amount</th></tr></thead>
<tbody>
${rows}
</tbody>
<tfoot><tr><th scope="row">Total${every}</th><td class="amount">${html(formatAmount(session.amountTotal, session.currency))}</td></tr></tfoot>
</table>
</section>`;
}

/** The payable page: summary, an email when none is preset, a card, Pay, and the way back. */
export function checkoutPage(input: CheckoutPageInput): string {
  const { session, merchantName } = input;
  const total = formatAmount(session.amountTotal, session.currency);
  const chosen = input.paymentMethod ?? CHECKOUT_CARDS[0].id;
  const email =
    session.customerEmail === null
      ? `<label for="email">Email</label>
<input id="email" name="email" type="email" autocomplete="email" required maxlength="254" value="${html(input.email ?? '')}">`
      : `<p class="note">Paying as ${html(session.customerEmail)}</p>`;
  const cards = CHECKOUT_CARDS.map(
    (card) =>
      `<label class="choice"><input type="radio" name="payment_method" value="${card.id}"${card.id === chosen ? ' checked' : ''}> ${html(card.label)}</label>`,
  ).join('\n');
  const error = input.error === undefined ? '' : `<div class="alert" role="alert">${html(input.error)}</div>`;
  return page(
    `Pay ${merchantName}`,
    `<h1>${html(merchantName)}</h1>
<p class="total">${html(total)}</p>
${summary(session)}
${error}
<form class="card" method="post" action="${html(input.action)}">
<h2>Payment</h2>
${email}
<fieldset>
<legend>Card</legend>
${cards}
</fieldset>
<button type="submit">Pay ${html(total)}</button>
</form>
<a class="cancel" href="${html(session.cancelUrl)}">Cancel and return to ${html(merchantName)}</a>`,
  );
}

/** A page with a message only: a completed or expired session, or one that does not exist. */
export function checkoutMessagePage(title: string, message: string, link?: { href: string; text: string }) {
  return page(
    title,
    `<h1>${html(title)}</h1>
<p role="alert">${html(message)}</p>
${link === undefined ? '' : `<a href="${html(link.href)}">${html(link.text)}</a>`}`,
  );
}
