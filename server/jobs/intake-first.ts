// In a process that both takes warnings and sends outreach (role `all`), a burst of warnings and the outreach it
// sets off share one event loop: every send brings its provider request and three status callbacks, and with the
// relay's 16 sends at once the upstream's requests queued behind them (intake p99 3–4 s after a backlog, a third
// of the throughput; docs/performance.md). While warnings are waiting to be answered the relay sends a few at a
// time, never none, and all of them again once the burst is answered: accepting a warning is what makes it safe
// (stored, never lost); its SMS follows seconds later either way.
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
}

export class IntakeFirst {
  readonly busyAt: number;
  readonly sendsWhileBusy: number;
  readonly holdMs: number;
  private arrivingCount = 0;
  private busyUntil = 0;
  private holdTimer: NodeJS.Timeout | undefined;
  private sendingCount = 0;
  private readonly waitingSends: Array<() => void> = [];

  constructor(opts: IntakeFirstOptions = {}) {
    this.busyAt = opts.busyAt ?? 16;
    this.sendsWhileBusy = Math.max(1, opts.sendsWhileBusy ?? 2);
    this.holdMs = opts.holdMs ?? 250;
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

  /** Waits for a send's turn; call the returned function when the send is over. */
  async turn(): Promise<() => void> {
    if (this.mayStart()) this.sendingCount += 1;
    else
      await new Promise<void>((resolve) => {
        this.waitingSends.push(resolve);
        this.endHoldLater();
      });
    return once(() => {
      this.sendingCount -= 1;
      this.admit();
    });
  }

  private mayStart(): boolean {
    return !this.busy || this.sendingCount < this.sendsWhileBusy;
  }

  private admit(): void {
    while (this.waitingSends.length > 0 && this.mayStart()) {
      this.sendingCount += 1;
      this.waitingSends.shift()!();
    }
    this.endHoldLater();
  }

  /** Busy only by the hold: the waiting sends are let go when it ends, whatever else happens meanwhile. */
  private endHoldLater(): void {
    if (this.waitingSends.length > 0 && this.arrivingCount < this.busyAt && !this.holdTimer) {
      this.holdTimer = setTimeout(() => {
        this.holdTimer = undefined;
        this.admit();
      }, Math.max(1, this.busyUntil - Date.now()));
      this.holdTimer.unref();
    }
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
