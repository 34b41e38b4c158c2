// The worker role's daily retention run (server/retention/): registered by startWorkers.
import type { Services } from '../services';
import { startRetentionSchedule } from '../retention/schedule';

export const startRetentionJob = (s: Services): (() => void) => startRetentionSchedule({ db: s.store.db, policy: s.config.retention, log: s.log, recordings: s.recordings });
