/** The event bus (EVENT_BUS_NAME) the outbox relay puts domain events on. */

import { EventBridgeEventBus } from '../adapters/aws/event-bus.js';
import { eventBridge } from '../adapters/aws/eventbridge-client.js';
import { readSetting } from '../config.js';
import { EVENT_BUS_ENV } from '../infra/events.js';
import { once } from '../lazy.js';

export const eventBus = once(() => new EventBridgeEventBus(eventBridge(), readSetting(EVENT_BUS_ENV)));
