/** A merchant's notifications (/v1/notifications): what its events sent, with each one's status. */
import { getNotification, listNotifications } from '../../shared/app/notifications/queries.js';
import { cursorCodec } from '../../shared/composition/cursors.js';
import { httpHandler } from '../../shared/composition/http.js';
import { notificationStore } from '../../shared/composition/notifications.js';
import { byRoute } from '../../shared/http/handler.js';
import { ListNotificationsQuery, NotificationIdParams } from '../../shared/http/schemas/notifications.js';
import { notificationListView, notificationView } from '../../shared/http/views/notifications.js';

const deps = { notifications: notificationStore() };

const list = httpHandler({ query: ListNotificationsQuery }, async (request) => {
  const page = await listNotifications(request.merchant(), request.query, {
    ...deps,
    cursors: await cursorCodec(),
  });
  return { status: 200, body: notificationListView(page.notifications, page.nextCursor) };
});

const read = httpHandler({ params: NotificationIdParams }, async (request) => ({
  status: 200,
  body: notificationView(await getNotification(request.merchant(), request.params.notificationId, deps)),
}));

export const handler = byRoute('notifications', {
  'GET /v1/notifications': list,
  'GET /v1/notifications/{notificationId}': read,
});
