// Intervals and tests against published values (Newcombe 1998, Statistics in Medicine 17:857–872).
import { compareProportions, normalCdf, normalQuantile, wilson, zFor } from '../../../server/stats/proportions';

describe('proportions', () => {
  it('knows the normal distribution', () => {
    expect(zFor(0.05)).toBeCloseTo(1.959964, 5);
    expect(zFor(0.01)).toBeCloseTo(2.575829, 5);
    expect(normalQuantile(0.001)).toBeCloseTo(-3.090232, 5);
    expect(normalCdf(1.959964)).toBeCloseTo(0.975, 6);
    expect(normalCdf(-2.65)).toBeCloseTo(0.004025, 5);
  });

  it('gives Wilson score intervals that stay inside 0…1', () => {
    const none = wilson(0, 10);
    expect(none.rate).toBe(0);
    expect(none.low).toBe(0);
    expect(none.high).toBeCloseTo(0.2775, 4);
    const half = wilson(5, 10);
    expect(half.low).toBeCloseTo(0.2366, 4);
    expect(half.high).toBeCloseTo(0.7634, 4);
    // Newcombe's table I, example (a): 81 of 263.
    const a = wilson(81, 263);
    expect(a.low).toBeCloseTo(0.2553, 4);
    expect(a.high).toBeCloseTo(0.3662, 4);
    expect(wilson(0, 0)).toEqual({ successes: 0, n: 0, rate: null, low: null, high: null });
    expect(() => wilson(3, 2)).toThrow('wilson needs whole numbers 0 ≤ successes ≤ n, got 3 of 2');
  });

  it('compares two proportions: Newcombe interval and the pooled z-test', () => {
    // Newcombe's table II, example (a): 56/70 against 48/80, method 10: 0.0524 to 0.3339.
    const t = compareProportions(wilson(48, 80), wilson(56, 70));
    expect(t.difference).toBeCloseTo(0.2, 10);
    expect(t.low).toBeCloseTo(0.0524, 4);
    expect(t.high).toBeCloseTo(0.3339, 4);
    expect(t.z).toBeCloseTo(2.6502, 4);
    expect(t.p).toBeCloseTo(0.00805, 5);
    // Equal arms: no difference, p = 1.
    const same = compareProportions(wilson(30, 60), wilson(30, 60));
    expect(same.difference).toBe(0);
    expect(same.p).toBeCloseTo(1, 6);
    // Nothing varies (every person dissuaded in both arms): no test to run.
    expect(compareProportions(wilson(10, 10), wilson(12, 12)).p).toBeNull();
    expect(compareProportions(wilson(0, 0), wilson(1, 2))).toEqual({ difference: null, low: null, high: null, z: null, p: null });
  });
});
