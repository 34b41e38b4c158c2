import { IntakeFirst } from '../../../server/jobs/intake-first';

/** Lets the microtasks and I/O callbacks already due run. */
const settle = () => new Promise((r) => setImmediate(r));

/** Starts `n` sends; answers which have their turn after the microtasks have run. */
async function startSends(gate: IntakeFirst, n: number) {
  const started: Array<() => void> = [];
  const turns = Array.from({ length: n }, () => gate.turn().then((done) => void started.push(done)));
  await settle();
  return { started, all: Promise.all(turns) };
}

describe('IntakeFirst: the relay yields to a burst of warnings', () => {
  it('lets every send go at once while intake is quiet', async () => {
    const gate = new IntakeFirst({ busyAt: 4, sendsWhileBusy: 2, holdMs: 0 });
    const answered = gate.arriving(3);
    const { started } = await startSends(gate, 10);
    expect(started).toHaveLength(10);
    expect(gate.sends).toEqual({ sending: 10, waiting: 0 });
    answered();
  });

  it('sends only a few at a time while warnings wait, and the next as soon as one ends', async () => {
    const gate = new IntakeFirst({ busyAt: 4, sendsWhileBusy: 2, holdMs: 0 });
    const answered = gate.arriving(40);
    const { started } = await startSends(gate, 5);
    expect(started).toHaveLength(2);
    expect(gate.sends).toEqual({ sending: 2, waiting: 3 });

    started[0]!();
    await settle();
    expect(started).toHaveLength(3);
    expect(gate.sends).toEqual({ sending: 2, waiting: 2 });
    answered();
  });

  it('never stops outreach, whatever the burst', async () => {
    const gate = new IntakeFirst({ busyAt: 1, sendsWhileBusy: 0, holdMs: 0 });
    const answered = gate.arriving(10_000);
    const { started } = await startSends(gate, 3);
    expect(started).toHaveLength(1);
    answered();
  });

  it('lets the waiting sends go once the burst is answered', async () => {
    const gate = new IntakeFirst({ busyAt: 4, sendsWhileBusy: 1, holdMs: 0 });
    const first = gate.arriving(3);
    const second = gate.arriving(3);
    const { started, all } = await startSends(gate, 6);
    expect(started).toHaveLength(1);
    first();
    first(); // answering twice counts once
    await all;
    expect(gate.sends).toEqual({ sending: 6, waiting: 0 });
    second();
    expect(gate.busy).toBe(false);
  });

  it('stays busy for the hold after the burst, then lets the sends go without another event', async () => {
    const gate = new IntakeFirst({ busyAt: 4, sendsWhileBusy: 1, holdMs: 40 });
    gate.arriving(8)();
    expect(gate.busy).toBe(true);
    const { started, all } = await startSends(gate, 4);
    expect(started).toHaveLength(1);
    await all; // released by the hold's end alone
    expect(gate.busy).toBe(false);
    expect(gate.sends).toEqual({ sending: 4, waiting: 0 });
  });

  it('a finished send makes room for exactly one', async () => {
    const gate = new IntakeFirst({ busyAt: 2, sendsWhileBusy: 1, holdMs: 0 });
    const answered = gate.arriving(5);
    const { started } = await startSends(gate, 3);
    started[0]!();
    started[0]!(); // ending twice counts once
    await settle();
    expect(started).toHaveLength(2);
    expect(gate.sends).toEqual({ sending: 1, waiting: 1 });
    answered();
    await settle();
    expect(started).toHaveLength(3);
  });
});

describe('IntakeFirst: a send is held back for a bounded time only', () => {
  it('lets a send go after maxDeferMs even while intake stays busy', async () => {
    const gate = new IntakeFirst({ busyAt: 1, sendsWhileBusy: 1, holdMs: 0, maxDeferMs: 30, maxHoldMs: 60_000 });
    const answered = gate.arriving(100);
    const { started, all } = await startSends(gate, 4);
    expect(started).toHaveLength(1);
    expect(gate.sends).toEqual({ sending: 1, waiting: 3 });
    await all; // intake never lets up: the held sends go on their own
    expect(gate.busy).toBe(true);
    expect(gate.sends).toEqual({ sending: 4, waiting: 0 });
    answered();
  });

  it('counts from when the send was due: one queued long enough elsewhere goes at once', async () => {
    const gate = new IntakeFirst({ busyAt: 1, sendsWhileBusy: 1, holdMs: 0, maxDeferMs: 5_000, maxHoldMs: 60_000 });
    const answered = gate.arriving(10);
    const first = await gate.turn();
    let fresh = false;
    void gate.turn().then(() => (fresh = true));
    const late = await gate.turn(Date.now() - 6_000);
    expect(gate.sends).toEqual({ sending: 2, waiting: 1 });
    expect(fresh).toBe(false);
    late();
    first();
    answered();
  });

  it('keeps the order: a new send does not pass the ones already waiting', async () => {
    const gate = new IntakeFirst({ busyAt: 1, sendsWhileBusy: 1, holdMs: 0, maxDeferMs: 60_000, maxHoldMs: 60_000 });
    const answered = gate.arriving(10);
    const order: number[] = [];
    const first = await gate.turn();
    const second = gate.turn().then((done) => (order.push(2), done));
    const third = gate.turn().then((done) => (order.push(3), done));
    first();
    (await second)();
    (await third)();
    expect(order).toEqual([2, 3]);
    answered();
  });
});

describe('IntakeFirst: the relay\'s slots free up while a stream keeps intake busy', () => {
  it('lets a send go once it has waited maxHoldMs here, though its job is fresh', async () => {
    const gate = new IntakeFirst({ busyAt: 1, sendsWhileBusy: 1, holdMs: 0, maxDeferMs: 60_000, maxHoldMs: 30 });
    const answered = gate.arriving(100);
    const { started, all } = await startSends(gate, 3);
    expect(started).toHaveLength(1);
    await all;
    expect(gate.busy).toBe(true);
    expect(gate.sends).toEqual({ sending: 3, waiting: 0 });
    answered();
  });
});
