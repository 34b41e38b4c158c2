// The warning contract upstream systems post to POST /api/warnings.
import { z } from 'zod';
import { LOCALES, RISK_LEVELS } from '../../flows/engine/vocabulary';

// Text that will be stored, shown to a dissuader and maybe spoken: no control characters (PostgreSQL
// refuses NUL), no broken UTF-16, no bidi overrides that make one id look like another.
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const BIDI = /[\u202a-\u202e\u2066-\u2069]/;
export const cleanText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .refine((v) => !CONTROL.test(v), 'must not contain control characters')
    .refine((v) => !LONE_SURROGATE.test(v), 'must be well-formed Unicode');
export const shortText = (max: number) => cleanText(max).min(1).refine((v) => !BIDI.test(v), 'must not contain bidirectional override characters');

export const relativeSchema = z.object({
  phone: z.string().max(40),
  relation: cleanText(40).optional().nullable(),
  name: cleanText(100).optional().nullable(),
});

export const warningSchema = z.object({
  source: shortText(100),
  externalId: shortText(200),
  phone: z.string().max(40),
  name: cleanText(100).optional().nullable(),
  locale: z.enum(LOCALES).optional().nullable(),
  // An upstream's own label for a scam type we do not know (e.g. "romance") is worked as `other` and kept.
  scamType: shortText(60).optional().nullable(),
  riskLevel: z.enum(RISK_LEVELS).optional().nullable(),
  signals: z.array(cleanText(100)).max(50).optional().nullable(),
  amount: z.number().finite().min(0).max(1e12).optional().nullable(),
  relatives: z.array(relativeSchema).max(10).optional().nullable(),
  precinct: cleanText(100).optional().nullable(),
  telegramChatId: z.union([z.string().regex(/^-?\d{1,20}$/, 'must be a Telegram chat id (digits)'), z.number().int()]).optional().nullable(),
  receivedAt: z.iso.datetime({ offset: true }).optional().nullable(),
});
export type WarningInput = z.infer<typeof warningSchema>;

export const MAX_BATCH = 1000;
