// In a process that both takes warnings and sends outreach (role `all`), a burst of warnings and the outreach it
// sets off share one event loop: every send brings its provider request and three status callbacks, and with the
// relay's 16 sends at once the upstream's requests queued behind them (intake p99 3–4 s after a backlog, a third
// of the throughput; docs/performance.md). While warnings are waiting to be answered the relay sends a few at a
// time, never none, and all of them again once the burst is answered. A send that has been due for maxDeferMs
// (counted from when its job was due, so the time queued in Redis counts too) goes whatever intake is doing, and
// none waits here longer than maxHoldMs: under a stream that never lets up, outreach goes on at a rate of its own
// and falls at most maxDeferMs behind instead of ever further.
export interface IntakeFirstOptions {
  /** Warnings in unanswered intake requests from which intake counts as busy. */
  busyAt?: number;
  /** Sends at once while intake is busy (at least 1: outreach never stops). */
  sendsWhileBusy?: number;
  /**
   * How long intake stays busy after its count last reached busyAt, ms: a group's answers leave at once and
   * its clients send again a moment later, so without it the relay would start all its sends in every gap.
   */
  holdMs?: number;
  /** How long after it was due a send goes whatever intake is doing, ms. */
  maxDeferMs?: number;
  /**
   * The longest one send waits here, ms: the relay's slots free up at least this often, so outreach goes on at
   * a rate of its own (16 slots per second by default) while a stream keeps intake busy.
   */
  maxHoldMs?: number;
}

interface WaitingSend {
  /** when its job was due */
  since: number;
  /** when it began to wait here */
  heldAt: number;
  go: () => void;
}

export class IntakeFirst {
  readonly busyAt: number;
  readonly sendsWhileBusy: number;
  readonly holdMs: number;
  readonly maxDeferMs: number;
  readonly maxHoldMs: number;
  private arrivingCount = 0;
  private busyUntil = 0;
  private sendingCount = 0;
  private readonly waitingSends: WaitingSend[] = [];
  private wakeTimer: NodeJS.Timeout | undefined;
  private wakeAt = Infinity;

  constructor(opts: IntakeFirstOptions = {}) {
    this.busyAt = opts.busyAt ?? 16;
    this.sendsWhileBusy = Math.max(1, opts.sendsWhileBusy ?? 2);
    this.holdMs = opts.holdMs ?? 250;
    this.maxDeferMs = opts.maxDeferMs ?? 10_000;
    this.maxHoldMs = opts.maxHoldMs ?? 1000;
  }

  get busy(): boolean {
    return this.arrivingCount >= this.busyAt || Date.now() < this.busyUntil;
  }

  /** Sends going on now and sends waiting for their turn. */
  get sends(): { sending: number; waiting: number } {
    return { sending: this.sendingCount, waiting: this.waitingSends.length };
  }

  /** An intake request carrying `warnings` began; call the returned function once it is answered. */
  arriving(warnings: number): () => void {
    this.arrivingCount += warnings;
    if (this.arrivingCount >= this.busyAt) this.busyUntil = Date.now() + this.holdMs;
    return once(() => {
      this.arrivingCount -= warnings;
      this.admit();
    });
  }

  /** Waits for the turn of a send due since `dueSince` (epoch ms); call the returned function when it is over. */
  async turn(dueSince = Date.now()): Promise<() => void> {
    if ((this.waitingSends.length === 0 && this.mayStart()) || this.overdue(dueSince)) this.sendingCount += 1;
    else
      await new Promise<void>((go) => {
        this.waitingSends.push({ since: dueSince, heldAt: Date.now(), go });
        this.wakeLater();
      });
    return once(() => {
      this.sendingCount -= 1;
      this.admit();
    });
  }

  private mayStart(): boolean {
    return !this.busy || this.sendingCount < this.sendsWhileBusy;
  }

  private overdue(dueSince: number): boolean {
    return dueSince <= Date.now() - this.maxDeferMs;
  }

  private waitedEnough(w: WaitingSend): boolean {
    return this.overdue(w.since) || w.heldAt <= Date.now() - this.maxHoldMs;
  }

  private admit(): void {
    // In order while there is room, and any that waited enough; at most the relay's concurrency waits here (16).
    for (let i = 0; i < this.waitingSends.length; ) {
      if (!this.mayStart() && !this.waitedEnough(this.waitingSends[i]!)) i += 1;
      else {
        this.sendingCount += 1;
        this.waitingSends.splice(i, 1)[0]!.go();
      }
    }
    this.wakeLater();
  }

  /** Nothing else may happen meanwhile: the waiting sends are looked at again when the hold ends or one is overdue. */
  private wakeLater(): void {
    if (this.waitingSends.length === 0) return;
    const due = Math.min(...this.waitingSends.map((w) => Math.min(w.since + this.maxDeferMs, w.heldAt + this.maxHoldMs)));
    const at = this.arrivingCount < this.busyAt ? Math.min(this.busyUntil, due) : due;
    if (this.wakeTimer && at >= this.wakeAt) return;
    clearTimeout(this.wakeTimer);
    this.wakeAt = at;
    this.wakeTimer = setTimeout(() => {
      this.wakeTimer = undefined;
      this.wakeAt = Infinity;
      this.admit();
    }, Math.max(1, at - Date.now()));
    this.wakeTimer.unref();
  }
}

function once(fn: () => void): () => void {
  let done = false;
  return () => {
    if (done) return;
    done = true;
    fn();
  };
}
