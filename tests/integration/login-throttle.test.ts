// Password guessing in parallel: the throttle's check and count are one atomic step on both engines, so
// 40 simultaneous wrong passwords for one user get at most the limit checked and the rest refused.
import { addUser, startDeskHarness, type DeskHarness } from './desk-harness';
import { ENGINES } from '../support/databases';

jest.setTimeout(180_000);

describe.each(ENGINES)('login throttle on %s', (_engine, makeDb) => {
  let h: DeskHarness;
  beforeAll(async () => {
    h = await startDeskHarness({ db: makeDb() });
    await addUser(h.store, 'alice', 'desk');
  });
  afterAll(() => h?.close());

  it('checks at most 5 of 40 parallel wrong passwords for one user', async () => {
    const statuses = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        fetch(`${h.baseUrl}/api/session`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: 'alice', password: `guess-${i}` }) }).then((r) => r.status),
      ),
    );
    const checked = statuses.filter((s) => s === 401).length;
    const refused = statuses.filter((s) => s === 429).length;
    expect({ checked, refused, other: 40 - checked - refused }).toEqual({ checked: 5, refused: 35, other: 0 });
    const failed = await h.store.db.selectFrom('audit_events').select('id').where('action', '=', 'login_failed').where('actor', '=', 'alice').execute();
    expect(failed).toHaveLength(5);
  });
});
