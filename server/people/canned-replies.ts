// Canned replies: the desk's ready texts per citizen language, with {placeholders} filled for the case.

export const CANNED_PLACEHOLDERS = ['name', 'case_ref', 'officer', 'centre_name', 'callback_number'] as const;
export type CannedPlaceholder = (typeof CANNED_PLACEHOLDERS)[number];

/**
 * Fills {placeholders}. An empty value takes the space before it along ("Hello {name}," → "Hello,"), and an
 * unknown placeholder stays as written so the officer sees it before sending.
 */
export function fillPlaceholders(body: string, values: Record<CannedPlaceholder, string>): string {
  return body.replace(/( ?)\{(\w+)\}/g, (m, space: string, name: string) => {
    if (!(CANNED_PLACEHOLDERS as readonly string[]).includes(name)) return m;
    const v = values[name as CannedPlaceholder];
    return v ? `${space}${v}` : '';
  });
}

/** Placeholders in a body that are not known: a manager's typo, named when they save it. */
export const unknownPlaceholders = (body: string): string[] =>
  [...body.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).filter((n) => !(CANNED_PLACEHOLDERS as readonly string[]).includes(n));
