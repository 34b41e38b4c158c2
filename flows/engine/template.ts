// {variable} templates in prompt texts.
export const TEMPLATE_VARS = [
  'name',
  'amount',
  'centre_name',
  'callback_number',
  'case_ref',
  'scam_type',
  'precinct',
  'relative_relation',
] as const;

// {name}, or {name|fallback}: the fallback is used when the value is empty. The spaces before a variable
// are matched with it, so that an empty value takes them away ("Hello {name}, …" → "Hello, …").
const VAR = /([ \t]*)\{([^{}|\s]*)(?:\|([^{}]*))?\}/g;

export function templateVariables(text: string): string[] {
  return [...text.matchAll(VAR)].map((m) => m[2]);
}

/** Missing values render as the fallback, or as nothing: a prompt is never blocked by a missing case field. */
export function fillTemplate(text: string, vars: Record<string, string | number | undefined>): string {
  return text.replace(VAR, (_, space: string, name: string, fallback: string | undefined) => {
    const v = vars[name];
    const value = v === undefined || v === null || v === '' ? fallback ?? '' : String(v);
    return value ? space + value : '';
  });
}

/** Values used when the checker measures rendered lengths, per locale. */
export const SAMPLE_VARS_BY_LOCALE: Record<'zh' | 'en', Record<string, string>> = {
  zh: {
    name: '欧阳晓明',
    amount: '50000',
    centre_name: '市反诈中心',
    callback_number: '0755-96110',
    case_ref: 'QZ-2026-004217',
    scam_type: 'impersonation_police',
    precinct: '南山派出所',
    relative_relation: '父亲',
  },
  en: {
    name: 'Alex Chen',
    amount: '50000',
    centre_name: 'the City Anti-Fraud Centre',
    callback_number: '0755-96110',
    case_ref: 'QZ-2026-004217',
    scam_type: 'impersonation_police',
    precinct: 'Nanshan Police Station',
    relative_relation: 'father',
  },
};
export const SAMPLE_VARS = SAMPLE_VARS_BY_LOCALE.zh;
