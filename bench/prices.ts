/**
 * AWS list prices, US East (N. Virginia), on-demand, first tier, no free tier. The one place the cost
 * benchmark takes a price from: change a figure here, with its source and the date it was checked.
 *
 * `usd` is the price of `per` units of `unit`: Lambda requests are `{ usd: 0.2, per: 1_000_000 }`.
 * `checked` is the date the figure was compared with its source. Where the official page renders its rate
 * table client-side (so the figure could only be read from AWS announcements or third-party transcriptions
 * of the page) `note` says so: treat those as "believed current", and re-check them on the page itself.
 *
 * Not AWS costs, so not here: Stripe fees (per payment, on Stripe's invoice) and the Matrix homeserver.
 */

export interface Price {
  /** US dollars for `per` units. */
  usd: number;
  /** How many units `usd` buys. */
  per: number;
  /** What is counted (singular). */
  unit: string;
  /** The official AWS pricing page. */
  source: string;
  /** ISO date on which the figure was checked against `source` (or the sources named in `note`). */
  checked: string;
  /** Tier, billing rule or how sure we are of the figure. */
  note?: string;
}

export const PRICE_REGION = 'us-east-1';

export const prices = {
  lambdaRequests: {
    usd: 0.2,
    per: 1_000_000,
    unit: 'request',
    source: 'https://aws.amazon.com/lambda/pricing/',
    checked: '2026-11-21',
    note: 'Same for x86 and Arm. The official page renders its rate table client-side; the figure was confirmed from transcriptions of that page, not the page text itself.',
  },
  lambdaArmGbSeconds: {
    usd: 0.0000133334,
    per: 1,
    unit: 'GB-second',
    source: 'https://aws.amazon.com/lambda/pricing/',
    checked: '2026-11-21',
    note: 'Arm (Graviton2) price, first tier (first 7.5 billion GB-seconds a month; the AWS Compute Blog post "Introducing tiered pricing for AWS Lambda" gives the tiers). The figure itself was confirmed from third-party transcriptions of the pricing page only.',
  },
  httpApiRequests: {
    usd: 1.0,
    per: 1_000_000,
    unit: 'request',
    source: 'https://aws.amazon.com/api-gateway/pricing/',
    checked: '2026-11-21',
    note: 'HTTP API, first 300 million requests a month ($0.90 per million above). Stated in the AWS announcement of HTTP APIs (Dec 2019, "from $1.00 per million requests in us-east-1") and in the pricing example of the official page; requests are metered in 512 KB increments.',
  },
  stepFunctionsStandardTransitions: {
    usd: 0.025,
    per: 1_000,
    unit: 'state transition',
    source: 'https://aws.amazon.com/step-functions/pricing/',
    checked: '2026-11-21',
    note: 'Standard workflows; read on the official page ($0.0250 per 1,000 in US East (N. Virginia)). Every retry is billed as another transition.',
  },
  dynamoDbWriteRequestUnits: {
    usd: 0.625,
    per: 1_000_000,
    unit: 'write request unit',
    source: 'https://aws.amazon.com/dynamodb/pricing/on-demand/',
    checked: '2026-11-21',
    note: 'On-demand, Standard table class, after the 50% on-demand price cut effective 1 Nov 2024 (was $1.25). The official page renders its rate table client-side; the figure was confirmed from third-party summaries of the cut, not the page text itself.',
  },
  dynamoDbReadRequestUnits: {
    usd: 0.125,
    per: 1_000_000,
    unit: 'read request unit',
    source: 'https://aws.amazon.com/dynamodb/pricing/on-demand/',
    checked: '2026-11-21',
    note: 'On-demand, Standard table class, after the 1 Nov 2024 price cut (was $0.25). Confirmed from third-party summaries only, as for write request units.',
  },
  eventBridgeCustomEvents: {
    usd: 1.0,
    per: 1_000_000,
    unit: 'custom event',
    source: 'https://aws.amazon.com/eventbridge/pricing/',
    checked: '2026-11-21',
    note: 'Custom events published to an event bus; each 64 KB chunk of a payload is billed as one event (that rule is on the official page; the $1.00 figure was confirmed from third-party transcriptions only).',
  },
  sqsFifoRequests: {
    usd: 0.5,
    per: 1_000_000,
    unit: 'request',
    source: 'https://aws.amazon.com/sqs/pricing/',
    checked: '2026-11-21',
    note: 'FIFO queues, first tier (Standard queues: $0.40). Each 64 KB chunk of a request payload is billed as one request. Not confirmed on the official page itself: figure from third-party transcriptions of it.',
  },
  kmsRequests: {
    usd: 0.03,
    per: 10_000,
    unit: 'request',
    source: 'https://aws.amazon.com/kms/pricing/',
    checked: '2026-11-21',
    note: 'Symmetric-key API requests (some asymmetric and GenerateDataKeyPair requests cost more). The $1 a month per key is a fixed cost, not per operation. Figure confirmed from third-party transcriptions of the official page only.',
  },
} as const satisfies Record<string, Price>;

export type PriceKey = keyof typeof prices;
export type PriceTable = Readonly<Record<PriceKey, Price>>;

/** Dollars for one unit. */
export function unitPrice(price: Price): number {
  return price.usd / price.per;
}
