// Keeps every process's flow registry on the published versions: a Redis message from the process that
// published makes the others refresh at once; a periodic refresh catches any message that was missed.
import type { Kysely } from 'kysely';
import type { Redis } from 'ioredis';
import type { Database } from '../store/schema';
import type { FlowRegistry, RegistryLog } from '../cases/flow-registry';

/** The backstop interval; a missed Redis message delays a publication by at most this long. */
export const FLOW_REFRESH_MS = 5000;

export async function syncFlowRegistry(
  registry: FlowRegistry,
  db: Kysely<Database>,
  redis: { publisher: Redis; subscriber: Redis; channel: string },
  log?: RegistryLog,
): Promise<{ stop(): void }> {
  const fresh = registry.keepFresh(db, FLOW_REFRESH_MS, log);
  await redis.subscriber.subscribe(redis.channel).catch((err) => log?.error({ err: (err as Error).message }, 'flow change subscription failed; refreshing on the interval only'));
  redis.subscriber.on('message', (channel) => {
    if (channel === redis.channel) fresh.trigger();
  });
  registry.onLocalChange = () => void redis.publisher.publish(redis.channel, 'changed').catch(() => undefined);
  return {
    stop() {
      fresh.stop();
      registry.onLocalChange = undefined;
    },
  };
}
