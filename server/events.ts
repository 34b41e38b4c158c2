// Live updates between processes: a worker opens a handoff, every web process's desk stream hears it.
import { EventEmitter } from 'node:events';
import type { Redis } from 'ioredis';

export type LiveEvent =
  | { type: 'handoff'; handoffId: string; caseId: string; change: 'opened' | 'raised' | 'claimed' | 'released' | 'resolved' | 'escalated' }
  | { type: 'case'; caseId: string; change: string }
  // Organisation (issue 15): presence, visit tasks and stop-payment requests changing.
  | { type: 'org'; change: 'presence' | 'visit' | 'stop_payment' | 'unit'; username?: string; caseId?: string; taskId?: string; requestId?: string };

/** Emitted on s.events by server/main.ts at shutdown: every open desk stream says so and ends. */
export const STREAMS_END = 'streams_end';

export interface EventSink {
  publish(e: LiveEvent): void;
}

/** Holds events raised inside a transaction until it commits. */
export class PendingEvents implements EventSink {
  private readonly events: LiveEvent[] = [];
  publish(e: LiveEvent): void {
    this.events.push(e);
  }
  flushTo(sink: EventSink): void {
    for (const e of this.events.splice(0)) sink.publish(e);
  }
}

export class LiveEvents extends EventEmitter implements EventSink {
  private subscriber?: Redis;

  constructor(
    private readonly publisher: Redis | undefined,
    private readonly channel: string,
  ) {
    super();
    this.setMaxListeners(1000);
  }

  /** Listens to events published by other processes (web role). */
  async listen(subscriber: Redis): Promise<void> {
    this.subscriber = subscriber;
    await subscriber.subscribe(this.channel);
    subscriber.on('message', (channel, text) => {
      if (channel !== this.channel) return;
      try {
        this.emit('event', JSON.parse(text) as LiveEvent);
      } catch {
        /* not ours */
      }
    });
  }

  publish(e: LiveEvent): void {
    if (this.publisher && this.subscriber) {
      // Delivered back to us through the subscription, like every other process.
      this.publisher.publish(this.channel, JSON.stringify(e)).catch(() => this.emit('event', e));
    } else if (this.publisher) {
      this.publisher.publish(this.channel, JSON.stringify(e)).catch(() => undefined);
      this.emit('event', e);
    } else {
      this.emit('event', e);
    }
  }
}
