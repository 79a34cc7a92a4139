/**
 * The README's route map is the one `npm run docs:routes` renders from the catalogues, and every link in it
 * holds: the handler file exists and imports the use case, the use case is exported where the map says, the
 * entity's domain module exists, and a route that drives a state machine may start or resume it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Capability, functions } from '../../../shared/infra/functions.js';
import { type RouteLinks, routeLinks, withRouteMap } from '../../../shared/infra/route-map.js';
import { type RouteKey, routeKey, routes } from '../../../shared/infra/routes.js';
import type { StateMachineName } from '../../../shared/infra/state-machines.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const read = (file: string) => readFileSync(`${root}${file}`, 'utf8');

/** The capabilities that let a function start or resume each state machine's executions. */
const drives: Record<StateMachineName, readonly Capability[]> = {
  payment: ['payments:start', 'payments:callback'],
  p2pTransfer: ['p2p:start', 'p2p:callback'],
  groupGift: ['gifts:start'],
  paymentIntentCapture: ['paymentIntentCapture:start'],
  merchantOnboarding: ['onboarding:start', 'onboarding:callback'],
  payout: ['payouts:start', 'payouts:callback'],
};

const linked = routes.map((route) => {
  const links: RouteLinks = routeLinks[routeKey(route) as RouteKey];
  return [routeKey(route), route, links] as const;
});

describe('Route map', () => {
  it('is in the README as npm run docs:routes renders it (run it after changing a catalogue)', () => {
    // Arrange
    const readme = read('README.md');

    // Assert
    expect(readme).toBe(withRouteMap(readme));
  });

  it('has an entry for every route and none for a route that is not in the table', () => {
    // Assert
    expect(Object.keys(routeLinks).sort()).toEqual(routes.map(routeKey).sort());
  });

  it.each(linked)(
    'links %s to a handler that imports its use case, exported where the map says',
    (_, route, links) => {
      // Arrange
      const handler = functions[route.fn].entry;
      const [module = '', name = ''] = links.useCase?.split('#') ?? [];

      // Assert
      expect(existsSync(`${root}${handler}`)).toBe(true);
      if (links.useCase === undefined) return;
      expect(read(module)).toMatch(new RegExp(`export (async )?function ${name}\\b`));
      expect(read(handler)).toContain(
        `shared/app/${module.replace(/^shared\/app\//, '').replace(/\.ts$/, '.js')}'`,
      );
      expect(read(handler)).toMatch(new RegExp(`\\b${name}\\b`));
    },
  );

  it.each(linked.filter(([, , links]) => links.entity !== undefined))(
    'links %s to an entity module that exists',
    (_, _route, links) => {
      // Assert
      expect(existsSync(`${root}${links.entity}`)).toBe(true);
    },
  );

  it.each(linked.filter(([, , links]) => links.stored !== undefined))(
    'links %s to an entity definition that exists and defines an entity',
    (_, _route, links) => {
      // Assert
      const path = links.stored as string;
      expect(existsSync(`${root}${path}`)).toBe(true);
      expect(read(path)).toMatch(/\bdefineEntity\b/);
    },
  );

  it.each(linked.filter(([, , links]) => links.stateMachine !== undefined))(
    'lets the function of %s start or resume the state machine the map names',
    (_, route, links) => {
      // Arrange
      const machine = links.stateMachine as StateMachineName;
      const capabilities: readonly Capability[] = functions[route.fn].capabilities;

      // Assert
      expect(capabilities.filter((capability) => drives[machine].includes(capability))).not.toEqual([]);
    },
  );
});
