// Proportions and their uncertainty, for comparing two script versions: Wilson score intervals for one
// proportion, Newcombe's interval for a difference, and the pooled two-proportion z-test.
// Wilson rather than the textbook p ± z·√(p(1-p)/n): it stays inside 0…1 and is honest at 0 of 12.

export interface Proportion {
  successes: number;
  n: number;
  /** successes / n; null when n = 0. */
  rate: number | null;
  /** Wilson score interval at the requested confidence; null when n = 0. */
  low: number | null;
  high: number | null;
}

export interface TwoProportionTest {
  /** B − A. */
  difference: number | null;
  /** Newcombe's hybrid score interval for B − A. */
  low: number | null;
  high: number | null;
  z: number | null;
  /** Two-sided p-value of the pooled z-test; null when either arm is empty or nothing varies. */
  p: number | null;
}

/** Standard normal cumulative distribution (Abramowitz & Stegun 26.2.17, absolute error < 7.5e-8). */
export function normalCdf(x: number): number {
  const t = 1 / (1 + 0.2316419 * Math.abs(x));
  const d = 0.3989422804014327 * Math.exp((-x * x) / 2);
  const tail = d * t * (0.31938153 + t * (-0.356563782 + t * (1.781477937 + t * (-1.821255978 + t * 1.330274429))));
  return x >= 0 ? 1 - tail : tail;
}

/** Inverse of the standard normal distribution (P. J. Acklam's rational approximation, relative error < 1.2e-9). */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`normalQuantile needs 0 < p < 1, got ${p}`);
  const a = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
  const b = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
  const c = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  const low = 0.02425;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  }
  if (p > 1 - low) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) / (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1);
}

/** z for a two-sided interval at confidence 1 − alpha (alpha 0.05 → 1.96). */
export const zFor = (alpha: number): number => normalQuantile(1 - alpha / 2);

export function wilson(successes: number, n: number, alpha = 0.05): Proportion {
  if (!Number.isInteger(successes) || !Number.isInteger(n) || successes < 0 || n < 0 || successes > n) {
    throw new RangeError(`wilson needs whole numbers 0 ≤ successes ≤ n, got ${successes} of ${n}`);
  }
  if (n === 0) return { successes, n, rate: null, low: null, high: null };
  const z = zFor(alpha);
  const p = successes / n;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return { successes, n, rate: p, low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

/** Compares B with A: the difference with Newcombe's interval and the pooled two-sided z-test. */
export function compareProportions(a: Proportion, b: Proportion, alpha = 0.05): TwoProportionTest {
  if (!a.n || !b.n) return { difference: null, low: null, high: null, z: null, p: null };
  const wa = wilson(a.successes, a.n, alpha);
  const wb = wilson(b.successes, b.n, alpha);
  const pa = wa.rate!;
  const pb = wb.rate!;
  const difference = pb - pa;
  const low = difference - Math.sqrt((pb - wb.low!) ** 2 + (wa.high! - pa) ** 2);
  const high = difference + Math.sqrt((wb.high! - pb) ** 2 + (pa - wa.low!) ** 2);
  const pooled = (a.successes + b.successes) / (a.n + b.n);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / a.n + 1 / b.n));
  if (se === 0) return { difference, low, high, z: null, p: null };
  const z = difference / se;
  return { difference, low, high, z, p: Math.min(1, 2 * (1 - normalCdf(Math.abs(z)))) };
}
