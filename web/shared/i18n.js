// @ts-check
// The console's current language and the centre's zone: t() for labels, label() for the shared vocabulary,
// fmt for dates and numbers, errorMessage() for the server's error ids. One catalogue: web/i18n.
import { DEFAULT_UI_LOCALE, formatters, isUiLocale, languageTag, timeZoneOf, translate, vocabularyLabel } from '../build/i18n.js';

/** @typedef {import('../build/i18n.js').UiLocale} UiLocale */
/** @typedef {import('../build/i18n.js').MessageKey} MessageKey */
/** @typedef {import('../build/i18n.js').VocabularyKind} VocabularyKind */
/** @typedef {import('../build/i18n.js').Params} Params */

const STORED = 'qz.locale';

/** @type {{ locale: UiLocale, offsetMinutes: number, fmt: import('../build/i18n.js').Formatters }} */
const current = { locale: DEFAULT_UI_LOCALE, offsetMinutes: 480, fmt: formatters(DEFAULT_UI_LOCALE, 480) };

/** The language this browser last used (before sign-in the server cannot say), Chinese otherwise. */
export function storedLocale() {
  try {
    const v = localStorage.getItem(STORED);
    return isUiLocale(v) ? v : DEFAULT_UI_LOCALE;
  } catch {
    return DEFAULT_UI_LOCALE;
  }
}

/**
 * @param {UiLocale} locale
 * @param {number} [offsetMinutes] the centre's offset from UTC
 */
export function setLocale(locale, offsetMinutes = current.offsetMinutes) {
  current.locale = locale;
  current.offsetMinutes = offsetMinutes;
  current.fmt = formatters(locale, offsetMinutes);
  document.documentElement.lang = languageTag(locale);
  try {
    localStorage.setItem(STORED, locale);
  } catch {
    /* private mode: the server remembers it anyway */
  }
}

export const locale = () => current.locale;
export const fmt = () => current.fmt;
export const centreTimeZone = () => timeZoneOf(current.offsetMinutes);
/** The centre's offset from UTC in minutes (report days are the centre's days). */
export const centreOffsetMinutes = () => current.offsetMinutes;

/** A duration in seconds as words ("4 分", "1 小时 0 分"); a dash when there is nothing to measure. @param {number | null | undefined} s */
export function seconds(s) {
  if (s === null || s === undefined) return '—';
  if (s < 60) return t('rep.sec', { n: s });
  if (s < 3600) return s % 60 ? t('rep.min', { m: Math.floor(s / 60), s: s % 60 }) : t('rep.minOnly', { m: Math.floor(s / 60) });
  return t('rep.hour', { h: Math.floor(s / 3600), m: Math.round((s % 3600) / 60) });
}

/**
 * @param {MessageKey} key
 * @param {Params} [params]
 */
export const t = (key, params) => translate(current.locale, key, params);

/**
 * @param {VocabularyKind} kind
 * @param {string | null | undefined} value
 */
export const label = (kind, value) => vocabularyLabel(kind, value, current.locale);

/** The server's words for errors whose id alone says too little, turned into the catalogue's. */
const REFINED = /** @type {[RegExp, MessageKey][]} */ ([
  [/(?:already claimed|is claimed) by (\S+)/, 'error.claimedBy'],
  [/already resolved/, 'error.alreadyResolved'],
  [/is not claimed/, 'error.notClaimed'],
  [/claim the case before/, 'error.claimFirst'],
  [/has no open handoff/, 'error.noHandoff'],
  [/opted out of SMS/, 'error.optedOut'],
  [/no phone to ring/, 'error.noPhone'],
  [/only (\S+) or a supervisor/, 'error.onlyHolder'],
  [/write something first/, 'error.emptyMessage'],
]);

/**
 * What to tell the person about a failed request, in their language.
 * @param {unknown} err
 */
export function errorMessage(err) {
  const e = /** @type {{ status?: number, id?: string, message?: string }} */ (err || {});
  const detail = e.message || '';
  for (const [re, key] of REFINED) {
    const m = re.exec(detail);
    if (m) return t(key, { who: m[1] });
  }
  const key = /** @type {MessageKey} */ (`error.${e.id}`);
  const text = t(key, { detail });
  return text === key ? t('error.unknown', { status: e.status ?? 0, detail }) : text;
}
