/** What `npm start` prints when the stack is ready: where the API, its reference and the stand-ins are. */
export interface BannerOptions {
  apiUrl: string;
  endpoints: Record<string, string>;
  startupMs: number;
  /** Where the data lives, or undefined when it is kept in memory. */
  dataDir: string | undefined;
  /** The seeded demo merchant (local/seed.ts): its owner's dev token and its test key. */
  demo: { merchantId: string; owner: string; ownerToken: string; appId: string; testKey: string };
}

export function banner({ apiUrl, endpoints, startupMs, dataDir, demo }: BannerOptions): string {
  const rows = Object.entries(endpoints)
    .map(([name, url]) => `    ${name.padEnd(14)} ${url}`)
    .join('\n');
  return `
Tween Payments is running locally (ready in ${(startupMs / 1000).toFixed(1)} s${dataDir === undefined ? ', in memory' : `, data in ${dataDir}/`}).

  API             ${apiUrl}
  API reference   ${apiUrl}/docs
  OpenAPI         ${apiUrl}/openapi.json
  Health          ${apiUrl}/health/integrations

  A dev token:    TOKEN=$(npm run --silent token -- @alice:tween.example)
  Try:            curl -H "Authorization: Bearer $TOKEN" ${apiUrl}/health/integrations

  Demo merchant:  ${demo.merchantId} (active), live app ${demo.appId}, owner ${demo.owner}
  Owner token:    ${demo.ownerToken}
  Test key:       ${demo.testKey}
  Try:            curl -H "Authorization: Bearer ${demo.testKey}" ${apiUrl}/v1/apps

  Local engines and stand-ins:
${rows}

  Ops views:      ${apiUrl}/local/executions   ${apiUrl}/local/metrics   ${apiUrl}/local/events

Press Ctrl-C to stop.
`;
}
