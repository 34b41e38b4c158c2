import type { PaymentDetails } from './intents';
import { canonical } from './text';
import { EN_NUMBER_WORDS, parseEnNumberWords, parseZhNumber } from './numbers';

const ZH_NUM_CHARS = '零〇一二两俩三四五六七八九十百千万亿几多来';
// A number followed by one of these counts something else: months, times, digits, percent.
const ZH_NOT_MONEY = /^\s*(个月|个|次|天|年|岁|位|分钟|小时|号|点|楼|单|笔|周|星期|%|％|块屏|人|条)/;
const EN_NOT_MONEY = /^\s*(%|percent|months?|times?|days?|weeks?|years?|hours?|minutes?|mins?|digits?|transfers?|people|orders?|pm|am|th|st|nd|rd)\b/;
const ZH_MONEY_UNIT = /^\s*(块钱|块|元|rmb|人民币|美元|刀|u\b|usdt)/;
const EN_MONEY_HINT = /^\s*(bucks|dollars|yuan|rmb|usd|usdt|pounds|euros)\b/;
const PAY_VERB = /转|付|打|汇|充|交|存|给|刷|骗|借|投|sent|send|paid|pay|transfer|wire|deposit|put|gave|lost|charged|venmo|zelle|bought|moved|conned|top|fee|cost/;

function pushAmount(out: number[], n: number | undefined) {
  // Beyond 2^53 a figure is no longer the one said; no real amount is that large anyway.
  if (n !== undefined && n > 0 && n <= Number.MAX_SAFE_INTEGER && !out.includes(n)) out.push(n);
}

// Numbers that name something rather than count money. Digit-only ones still count as money when a currency
// sign or unit sits right next to them ("¥12000000000", "12000000000元"); the others never do.
const DIGITS_ONLY_IDS = [
  /\+\s?\d{1,3}(?:[\s-]?\(?\d+\)?){2,5}/g, // +86 138 1234 5678, +1 (555) 123-4567
  /(?<!\d)1[3-9]\d[\s-]?\d{4}[\s-]?\d{4}(?!\d)/g, // Chinese mobile numbers
  /\d{10,}/g, // card, account and unformatted phone numbers
];
const OTHER_IDS = [
  /(?<!\d)\d{4}(?:[\s-]\d{4}){2,3}(?:[\s-]\d{1,4})?(?!\d)/g, // card numbers in groups of four
  /\(?\b\d{3}\)?[\s.-]\d{3}[\s.-]\d{4}\b/g, // 555-123-4567
  /\b\d{4}[-/.年]\d{1,2}(?:[-/.月]\d{1,2}[日号]?)?/g, // dates
  /\d{1,2}月\d{1,2}[日号]?|\b\d{1,2}\/\d{1,2}(?:\/\d{2,4})?\b|\b\d{1,2}:\d{2}(?::\d{2})?\b/g, // dates, times
  // Codes mixing letters and digits (QZ7K4M2P, 3pm, 5th), but not amounts written with a unit (5k, 1.5w, 500u).
  /\b(?=[a-z]*\d)(?=\d*[a-z])(?!(?:rmb|usd|usdt|cny|hkd)?\d+(?:\.\d+)?(?:k|w|kw|u|rmb|usd|usdt|cny|hkd|yuan|bucks|grand|m|mil)?(?:\d)?\b)[a-z\d]+\b/g,
];
// A number after one of these words is an identifier: 尾号3345, 验证码 483920, case no. 2024117, account 1234567.
const ID_WORD = /(?<![a-z])(尾号|编号|单号|订单号|工号|警号|警官证|案号|案件号|验证码|密码|号码|电话|手机|手机号|qq|微信号|身份证|账号|帐号|账户|帐户|卡号|code|case|ref|reference|order|ticket|badge|phone|tel|id|account|acct|card number|card no\.?)\s*(号码|号|是|为|:|#|no\.?|number|is)?\s*$/;
const ACCOUNT_WORD = /(?<![a-z])(账号|帐号|账户|帐户|卡号|银行卡|收款卡|account|acct|card number|card no\.?|iban)\s*(号码|号|是|为|:|#|no\.?|number|is)?\s*$/;
const CURRENCY_BEFORE = /([$¥£€]|rmb|usd|cny|hkd)\s*$/;
const CURRENCY_AFTER = /^\s*(元|块|万|千|美元|人民币|k\b|w\b|yuan|rmb|usd|usdt|dollars|bucks)/;

interface Masked {
  text: string;
  accounts: string[];
}

/** Blanks out identifiers so the amount readers never see them; card and account numbers are kept apart. */
function maskIdentifiers(t: string): Masked {
  const blank = new Array<boolean>(t.length).fill(false);
  const accounts: string[] = [];
  const mark = (start: number, end: number) => blank.fill(true, start, end);
  const addAccount = (raw: string, start: number) => {
    const digits = raw.replace(/\D/g, '');
    const named = ACCOUNT_WORD.test(t.slice(0, start));
    const phone = raw.trim().startsWith('+') || /^1[3-9]\d{9}$/.test(digits);
    if (((digits.length >= 12 && digits.length <= 19 && !phone) || (named && digits.length >= 6)) && !accounts.includes(digits)) {
      accounts.push(digits);
    }
  };
  for (const re of DIGITS_ONLY_IDS) {
    for (const m of t.matchAll(re)) {
      const start = m.index ?? 0;
      const end = start + m[0].length;
      addAccount(m[0], start);
      const digitsOnly = /^\d+$/.test(m[0]);
      if (digitsOnly && (CURRENCY_BEFORE.test(t.slice(0, start)) || CURRENCY_AFTER.test(t.slice(end)))) continue;
      mark(start, end);
    }
  }
  for (const re of OTHER_IDS) {
    for (const m of t.matchAll(re)) {
      const start = m.index ?? 0;
      if (/^\d{4}[\s-]\d{4}/.test(m[0])) addAccount(m[0], start);
      mark(start, start + m[0].length);
    }
  }
  for (const m of t.matchAll(/\d(?:[\d-]|\s(?=\d))*/g)) {
    const start = m.index ?? 0;
    const end = start + m[0].length;
    const before = t.slice(0, start);
    if (!ID_WORD.test(before)) continue;
    // "转到他账户5000元", "account 300": a short or currency-marked figure after an account word is money.
    if (CURRENCY_AFTER.test(t.slice(end))) continue;
    if (ACCOUNT_WORD.test(before) && m[0].replace(/\D/g, '').length < 6) continue;
    addAccount(m[0], start);
    mark(start, end);
  }
  const text = t
    .split('')
    .map((c, i) => (blank[i] ? ' ' : c))
    .join('');
  return { text, accounts };
}

const ZH_NUMBER = new RegExp(`[\\d.,${ZH_NUM_CHARS}]*[\\d${ZH_NUM_CHARS}](?:\\s*[kKwW千万])?`, 'g');
const STARTS_WITH_ZH_NUMBER = new RegExp(`^[${ZH_NUM_CHARS}\\d]`);

function zhAmounts(text: string, hasVerb: boolean, out: number[]) {
  if (!/[\d零〇一二两俩三四五六七八九十百千万亿]/.test(text)) return;
  for (const m of text.matchAll(ZH_NUMBER)) {
    const raw = m[0];
    const after = text.slice((m.index ?? 0) + raw.length);
    if (ZH_NOT_MONEY.test(after)) continue;
    if (!/[\d一二两三四五六七八九十百千万]/.test(raw)) continue;
    const compact = raw.replace(/,(?=\d{3})/g, '').replace(/\s+/g, '');
    const kw = /^(\d+(?:\.\d+)?)([kKwW])$/.exec(compact);
    const value = kw ? Number(kw[1]) * (/[kK]/.test(kw[2]) ? 1000 : 10_000) : parseZhNumber(compact);
    if (value === undefined) continue;
    const unitWord = /[千万kKwW]/.test(compact) || ZH_MONEY_UNIT.test(after);
    // Bare small numbers ("1", "666") are not amounts unless a money unit or a payment verb is there.
    if (!unitWord && !(hasVerb && value >= 50)) continue;
    pushAmount(out, value);
  }
}

function enAmounts(text: string, hasVerb: boolean, out: number[]) {
  for (const m of text.matchAll(/([$¥£€]\s*)?(\d[\d,]*(?:\.\d+)?)\s*(k|grand|thousand|million|w|万|千)?\b/g)) {
    const after = text.slice((m.index ?? 0) + m[0].length);
    // Chinese forms such as 6千8 belong to zhAmounts.
    if (STARTS_WITH_ZH_NUMBER.test(after)) continue;
    if (EN_NOT_MONEY.test(after) || ZH_NOT_MONEY.test(after)) continue;
    let value = Number(m[2].replace(/,/g, ''));
    const unit = m[3];
    if (unit === 'k' || unit === 'grand' || unit === 'thousand' || unit === '千') value *= 1000;
    else if (unit === 'million') value *= 1_000_000;
    else if (unit === 'w' || unit === '万') value *= 10_000;
    // "30-40k": the first figure shares the unit of the second.
    const range = /^\s*-\s*\d+\s*(k|grand|thousand)\b/.exec(after);
    if (!unit && range) value *= 1000;
    const moneyish = Boolean(m[1] || unit || range || EN_MONEY_HINT.test(after));
    if (!moneyish && !(hasVerb && value >= 50)) continue;
    pushAmount(out, value);
  }
  const words = text.split(/[^a-z0-9'$]+/).filter(Boolean);
  const numberWords = new Set(EN_NUMBER_WORDS);
  for (let i = 0; i < words.length; i += 1) {
    if (!numberWords.has(words[i]) || words[i] === 'and' || words[i] === 'k') continue;
    let j = i;
    while (j < words.length && numberWords.has(words[j])) j += 1;
    const span = words.slice(i, j);
    const value = parseEnNumberWords(span);
    const hasScale = span.some((w) => ['hundred', 'thousand', 'grand', 'k', 'million', 'mil'].includes(w));
    const next = words.slice(j, j + 1).join(' ');
    if (value !== undefined && (hasScale || /^(bucks|dollars|yuan|pounds)$/.test(next))) pushAmount(out, value);
    i = j;
  }
}

const METHODS: Array<[string, RegExp]> = [
  ['alipay', /支付宝|花呗|借呗|余额宝|alipay/],
  ['wechat_pay', /微信|零钱通|wechat|weixin/],
  ['bank_transfer', /转账|转帐|汇款|汇了|汇出|柜台|atm|手机银行|网银|银行卡|bank transfer|wired?\b|banking app|transferred/],
  ['card', /信用卡|刷卡|借记卡|credit card|debit card|\bcard\b/],
  ['crypto', /usdt|比特币|虚拟币|泰达币|数字货币|bitcoin|btc|crypto|wallet/],
  ['gift_card', /点卡|充值卡|礼品卡|购物卡|卡密|gift cards?|steam cards?|itunes/],
  ['paypal', /paypal/],
  ['venmo', /venmo/],
  ['zelle', /zelle/],
  ['cash', /现金|取钱|取现|cash\b/],
  ['qr_code', /扫码|二维码|qr code/],
];
const BANKS: Array<[string, RegExp]> = [
  ['ICBC', /工行|工商银行|icbc/],
  ['ABC', /农行|农业银行/],
  ['CCB', /建行|建设银行/],
  ['BOC', /中国银行|中行/],
  ['CMB', /招行|招商银行/],
  ['BOCOM', /交行|交通银行/],
  ['PSBC', /邮政储蓄|邮储/],
  ['Chase', /\bchase\b/],
  ['Bank of America', /bank of america|\bboa\b/],
  ['Wells Fargo', /wells fargo/],
  ['HSBC', /hsbc|汇丰/],
];

const ZH_TIMES = /(刚刚|刚才|刚|今天|今早|今晚|昨天|昨晚|前天|大前天|上午|中午|下午|晚上|早上|凌晨|半夜|上周|上星期|上个月|这周|前几天|前段时间|\d+\s*(?:分钟|小时|天)前|[一二两三四五六七八九十几]+\s*(?:分钟|小时|天)前)/g;
const EN_TIMES = /\b(just now|right now|earlier today|today|this morning|this afternoon|this evening|tonight|last night|yesterday(?: (?:morning|afternoon|evening))?|the day before yesterday|last week|last month|at noon|a few days ago|(?:\d+|a|an|one|two|three|four|five|ten|twenty|thirty) (?:minutes?|mins?|hours?|days?|weeks?) ago)\b/g;

/** Amounts, methods and time words a stop-payment request needs; empty lists when none were said. */
export function extractPayment(text: string): PaymentDetails {
  const t = canonical(text);
  const hasVerb = PAY_VERB.test(t);
  const { text: figures, accounts } = maskIdentifiers(t);
  const amounts: number[] = [];
  zhAmounts(figures, hasVerb, amounts);
  enAmounts(figures, hasVerb, amounts);
  const methods = [...METHODS, ...BANKS].filter(([, re]) => re.test(t)).map(([name]) => name);
  const times = [...new Set([...(t.match(ZH_TIMES) ?? []), ...(t.match(EN_TIMES) ?? [])])];
  return { amounts, methods, times, accounts };
}
