/** The integration probes: one cheap describe call per resource, each named by its own variable. */
import { awsIntegrationProbes } from '../adapters/aws/integration-probes.js';
import type { IntegrationProbe } from '../app/ports.js';
import { readSetting, readTableName } from '../config.js';
import { EVENT_BUS_ENV } from '../infra/events.js';
import { KEY_ENV } from '../infra/keys.js';
import { queueDefinition } from '../infra/queues.js';
import { once } from '../lazy.js';

export const integrationProbes = once((): IntegrationProbe[] =>
  awsIntegrationProbes({
    tableName: readTableName(),
    queueUrl: readSetting(queueDefinition('webhooks').urlEnv),
    eventBusName: readSetting(EVENT_BUS_ENV),
    keyId: readSetting(KEY_ENV),
  }),
);
