// The arm draw follows the split, and the stop rule closes on people or time.
import { armFor, secureRandom, stopRuleMet } from '../../../server/trials/assignment';

describe('trial assignment', () => {
  it('puts the asked share on B (a seeded generator, so the count is exact)', () => {
    let seed = 7;
    const lcg = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const draws = Array.from({ length: 10_000 }, () => armFor(0.3, lcg));
    const b = draws.filter((a) => a === 'B').length;
    // 10,000 draws at 0.3: within 4 standard deviations (±183) of 3,000.
    expect(Math.abs(b - 3000)).toBeLessThan(183);
    expect(armFor(0.3, () => 0.2999)).toBe('B');
    expect(armFor(0.3, () => 0.3)).toBe('A');
  });

  it('draws from the operating system, within [0, 1)', () => {
    const xs = Array.from({ length: 2000 }, secureRandom);
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    expect(new Set(xs).size).toBe(2000);
  });

  it('meets the stop rule on people or on time, whichever comes first', () => {
    const now = Date.parse('2026-12-01T00:00:00Z');
    expect(stopRuleMet({ people: 200 }, 199, now)).toBe(false);
    expect(stopRuleMet({ people: 200 }, 200, now)).toBe(true);
    expect(stopRuleMet({ endsAt: '2026-12-02T00:00:00Z' }, 10_000, now)).toBe(false);
    expect(stopRuleMet({ people: 200, endsAt: '2026-11-30T00:00:00+08:00' }, 3, now)).toBe(true);
  });
});
