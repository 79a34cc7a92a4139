/**
 * The catalogues are typed links: a handler that names a route, function, queue, state machine or rule
 * the catalogue does not have fails to compile. The `@ts-expect-error` lines below are checked by
 * `tsc --noEmit` (part of `npm test`): were a wrong name to compile, the directive itself would be an error.
 */
import { byRoute, type RouteHandler } from '../../../shared/http/handler.js';
import { type RuleName, rules } from '../../../shared/infra/events.js';
import { type FunctionName, functionDefinition } from '../../../shared/infra/functions.js';
import { queueDefinition } from '../../../shared/infra/queues.js';
import { type RouteKey, type RouteKeyOfFunction, routeKey, routes } from '../../../shared/infra/routes.js';
import { type StateMachineName, stateMachines } from '../../../shared/infra/state-machines.js';
import { httpEvent, lambdaContext } from '../../support/events.js';

function answering(body: string): RouteHandler {
  return async () => ({ statusCode: 200, body });
}

describe('Catalogues: typed links', () => {
  it('dispatches each route key of a function to its own handler, and an unknown one to 404', async () => {
    // Arrange
    const handler = byRoute('webhookOps', {
      'GET /api/v1/webhooks/events': answering('list'),
      'POST /api/v1/webhooks/replay': answering('replay'),
    });

    // Act
    const list = await handler(httpEvent({ routeKey: 'GET /api/v1/webhooks/events' }), lambdaContext());
    const replay = await handler(httpEvent({ routeKey: 'POST /api/v1/webhooks/replay' }), lambdaContext());
    const unknown = await handler(httpEvent({ routeKey: 'GET /api/v1/webhooks/event' }), lambdaContext());

    // Assert
    expect([list.body, replay.body, unknown.statusCode]).toEqual(['list', 'replay', 404]);
  });

  it('refuses, at compile time, a route key the function does not serve or a route left out', () => {
    // Act
    const wrongKey = () =>
      byRoute('webhookOps', {
        'GET /api/v1/webhooks/events': answering('list'),
        'POST /api/v1/webhooks/replay': answering('replay'),
        // @ts-expect-error a mistyped route key (was a runtime 404)
        'POST /api/v1/webhook/replay': answering('typo'),
      });
    // @ts-expect-error the replay route is left out
    const missing = () => byRoute('webhookOps', { 'GET /api/v1/webhooks/events': answering('list') });
    const otherFunction = () =>
      byRoute('webhookOps', {
        'GET /api/v1/webhooks/events': answering('list'),
        'POST /api/v1/webhooks/replay': answering('replay'),
        // @ts-expect-error a route of another function
        'POST /wallet/v1/topup': answering('topup'),
      });

    // Assert
    expect([wrongKey, missing, otherFunction].every((build) => typeof build === 'function')).toBe(true);
  });

  it('types route keys, function, state machine and rule names from their catalogues', () => {
    // Arrange
    const key: RouteKey = 'POST /wallet/v1/p2p/{transferId}/accept';
    // @ts-expect-error not a route of the table
    const wrongKey: RouteKey = 'POST /wallet/v1/p2p/{transferId}/approve';
    const p2pKey: RouteKeyOfFunction<'p2pTransfers'> = 'POST /wallet/v1/p2p/initiate';
    // @ts-expect-error a route of another function
    const foreignKey: RouteKeyOfFunction<'p2pTransfers'> = 'POST /wallet/v1/topup';
    const fn: FunctionName = 'p2pLifecycle';
    // @ts-expect-error not a function of the catalogue
    const wrongFn: FunctionName = 'p2pLifecylce';
    const machine: StateMachineName = 'p2pTransfer';
    // @ts-expect-error not a state machine of the catalogue
    const wrongMachine: StateMachineName = 'p2p';
    const rule: RuleName = 'publish-to-matrix-rooms';
    // @ts-expect-error not a rule of the catalogue
    const wrongRule: RuleName = 'publish-to-rooms';

    // Act
    const lookups = [
      routes.some((route) => routeKey(route) === key),
      routes.some((route) => routeKey(route) === p2pKey && route.fn === 'p2pTransfers'),
      functionDefinition(fn).entry,
      // @ts-expect-error not a function of the catalogue
      () => functionDefinition('p2pLifecylce'),
      stateMachines[machine].file,
      // @ts-expect-error not a state machine of the catalogue
      () => stateMachines.paymnt,
      queueDefinition('webhooks').name,
      // @ts-expect-error not a queue of the catalogue
      () => queueDefinition('webhook'),
      rules.some((candidate) => candidate.name === rule),
    ];

    // Assert
    expect(lookups.slice(0, 2)).toEqual([true, true]);
    expect(lookups.at(-1)).toBe(true);
    expect([wrongKey, foreignKey, wrongFn, wrongMachine, wrongRule]).toHaveLength(5);
  });
});
