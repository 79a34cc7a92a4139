import { systemClock } from '../../shared/adapters/clock.js';
import { randomIds } from '../../shared/adapters/ids.js';
import { createApp, getApp, listApps } from '../../shared/app/merchants/merchant-apps.js';
import { cursorCodec } from '../../shared/composition/cursors.js';
import { httpHandler } from '../../shared/composition/http.js';
import { apps } from '../../shared/composition/merchants.js';
import { byRoute } from '../../shared/http/handler.js';
import { AppIdParams, CreateAppRequest, ListQuery } from '../../shared/http/schemas/merchant-api.js';
import { listView } from '../../shared/http/views/list.js';
import { appView } from '../../shared/http/views/merchant-api.js';

const deps = { apps: apps(), ids: randomIds, clock: systemClock };

const create = httpHandler({ body: CreateAppRequest }, async (request) => ({
  status: 201,
  body: appView(await createApp(request.merchant(), request.body.name, deps)),
}));

const list = httpHandler({ query: ListQuery }, async (request) => {
  const caller = request.merchant();
  const cursors = await cursorCodec();
  const name = `apps:${caller.merchantId}:${caller.mode}`;
  const { cursor, limit } = request.query;
  const page = await listApps(
    caller,
    { limit, ...(cursor === undefined ? {} : { after: cursors.decode(name, cursor) }) },
    deps,
  );
  const next = page.after === undefined ? undefined : cursors.encode(name, page.after);
  return { status: 200, body: listView(page.apps.map(appView), next) };
});

const read = httpHandler({ params: AppIdParams }, async (request) => ({
  status: 200,
  body: appView(await getApp(request.merchant(), request.params.id, deps)),
}));

export const handler = byRoute('merchantApps', {
  'POST /v1/apps': create,
  'GET /v1/apps': list,
  'GET /v1/apps/{id}': read,
});
