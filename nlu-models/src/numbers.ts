// Spoken and written number forms people use for amounts: 8千, 两万, 一万五, 6千8, 5k, 8,000, "two thousand".

const ZH_DIGITS: Record<string, number> = {
  零: 0, 〇: 0, 一: 1, 幺: 1, 二: 2, 两: 2, 俩: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9,
};
const ZH_SMALL_UNITS: Record<string, number> = { 十: 10, 百: 100, 千: 1000 };
const ZH_BIG_UNITS: Record<string, number> = { 万: 10_000, 亿: 100_000_000 };

/**
 * Parses a Chinese amount mixing digits and numerals ("1.5万", "一万五", "两千五", "6千8", "十几万" → 100000).
 * A trailing digit after a unit is read as the next smaller unit, as people say it: 一万五 = 15000.
 */
export function parseZhNumber(src: string): number | undefined {
  const s = src.replace(/几|多|来/g, '');
  if (!s) return undefined;
  let total = 0;
  let section = 0;
  let digit: number | undefined;
  let lastUnit = 1;
  let i = 0;
  while (i < s.length) {
    const rest = s.slice(i);
    const arabic = /^\d+(?:\.\d+)?/.exec(rest);
    if (arabic) {
      digit = Number(arabic[0]);
      i += arabic[0].length;
      continue;
    }
    const ch = s[i];
    if (ch in ZH_DIGITS) {
      // "三四万" is a range: keep its lower bound.
      if (digit === undefined) digit = ZH_DIGITS[ch];
    } else if (ch in ZH_SMALL_UNITS) {
      const unit = ZH_SMALL_UNITS[ch];
      section += (digit ?? 1) * unit;
      digit = undefined;
      lastUnit = unit;
    } else if (ch in ZH_BIG_UNITS) {
      const unit = ZH_BIG_UNITS[ch];
      section += digit ?? 0;
      total += (section || 1) * unit;
      section = 0;
      digit = undefined;
      lastUnit = unit;
    } else {
      return undefined;
    }
    i += 1;
  }
  if (digit !== undefined) section += lastUnit > 1 && digit < 10 ? digit * (lastUnit / 10) : digit;
  const value = total + section;
  return Number.isFinite(value) && value > 0 ? Math.round(value * 100) / 100 : undefined;
}

const EN_UNITS: Record<string, number> = {
  zero: 0, one: 1, a: 1, an: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9,
  ten: 10, eleven: 11, twelve: 12, thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16,
  seventeen: 17, eighteen: 18, nineteen: 19,
};
const EN_TENS: Record<string, number> = {
  twenty: 20, thirty: 30, forty: 40, fifty: 50, sixty: 60, seventy: 70, eighty: 80, ninety: 90,
};
const EN_SCALES: Record<string, number> = {
  hundred: 100, thousand: 1000, grand: 1000, k: 1000, million: 1_000_000, mil: 1_000_000,
};

export const EN_NUMBER_WORDS = [...Object.keys(EN_UNITS), ...Object.keys(EN_TENS), ...Object.keys(EN_SCALES), 'and', 'half'];

/** "two thousand" → 2000, "fifteen hundred" → 1500, "two and a half thousand" → 2500, "twenty k" → 20000. */
export function parseEnNumberWords(words: string[]): number | undefined {
  let total = 0;
  let current = 0;
  let seen = false;
  let half = false;
  for (const w of words) {
    if (w === 'a' || w === 'an') {
      if (current === 0) current = 1;
    } else if (w in EN_UNITS) {
      current += EN_UNITS[w];
      seen = true;
    } else if (w in EN_TENS) {
      current += EN_TENS[w];
      seen = true;
    } else if (w === 'half') {
      half = true;
    } else if (w === 'and') {
      continue;
    } else if (w in EN_SCALES) {
      const scale = EN_SCALES[w];
      seen = true;
      if (half) current += 0.5;
      half = false;
      if (scale === 100) current = (current || 1) * 100;
      else {
        total += (current || 1) * scale;
        current = 0;
      }
    } else {
      return undefined;
    }
  }
  const value = total + current;
  return seen && value > 0 ? value : undefined;
}
