// Makes the write guard's trips visible: a log line naming the controller and the object, and a Warning Event
// `WritesHeldBack` on the object (when the key names one), written outside the runaway's own cause so it is not
// itself refused.
import { recordEvent } from '../../client/events.js';
import type { Logger } from '../../client/logger.js';
import type { KubeClient } from '../../kube/client/types.js';
import { withoutWriteCause } from '../../kube/client/write-cause.js';
import type { ApiContext } from '../../kube/index.js';
import { describeKey, type Runaway } from '../../kube/storage/write-guard.js';

export const runawayComponent = 'skiff-write-guard';

export function runawayMessage({ cause, writes, holdMs }: Runaway): string {
  return `${cause.component} wrote ${writes} times in a minute for ${describeKey(cause)}; its writes are held back for ${Math.ceil(holdMs / 1000)}s`;
}

export function reportRunaways(ctx: ApiContext, client: KubeClient, logger: Logger): void {
  if (!ctx.writeGuard) return;
  const log = logger.errors(runawayComponent);
  ctx.writeGuard.onRunaway = (runaway) => {
    const message = runawayMessage(runaway);
    log(message);
    const { object, key } = runaway.cause;
    if (!object) return;
    const [namespace, name] = key.includes('/') ? key.split('/') : [undefined, key];
    const involved = { ...object, metadata: { name, ...(namespace ? { namespace } : {}) } };
    withoutWriteCause(() =>
      client.get({ ...object, namespace }, name!).then(
        (found) =>
          recordEvent(client, runaway.cause.component, { ...found, ...object }, 'Warning', 'WritesHeldBack', message),
        () => recordEvent(client, runaway.cause.component, involved, 'Warning', 'WritesHeldBack', message),
      ),
    ).catch(log);
  };
}
