// The conversation journeys (flows/tests/journeys/*.yaml) on the real stack: the app with its classifier,
// flows and policy, the local phone network with the real twilio and telegraf libraries on the app's side.
// One stack per channel, whose policy contacts a new case on that channel first.
import { CHANNELS } from '../../flows/engine/vocabulary';
import { loadJourneys } from '../../flows/engine/journey-schema';
import { startE2E, type E2E } from './helpers';
import { DESK_PHONE, policyFirst, runJourney } from './journey-driver';

const { journeys, errors } = loadJourneys();

test('every journey file matches the format', () => {
  expect(errors).toEqual([]);
  expect(journeys.length).toBeGreaterThan(0);
});

for (const channel of CHANNELS) {
  const mine = journeys.filter((j) => j.journey.channel === channel);
  if (!mine.length) continue;
  describe(`journeys by ${channel}`, () => {
    let e: E2E;
    beforeAll(async () => {
      // The driver answers every call itself (the citizen's, the desk phone's); phones ring as long as a real
      // one would, so a loaded machine's slower round trip is not read as "nobody answered".
      e = await startE2E({ ringMs: 20_000, env: { POLICY_FILE: policyFirst(channel), TWILIO_DESK_NUMBER: DESK_PHONE } });
    });
    afterAll(async () => {
      await e?.stop();
    });

    test.each(mine.map((j) => [j.file.replace(/^.*journeys\//, ''), j] as const))('%s', async (_name, j) => {
      const run = await runJourney(e, j.journey);
      expect({ journey: j.journey.journey, failures: run.failures }).toEqual({ journey: j.journey.journey, failures: [] });
    }, 60_000);
  });
}
