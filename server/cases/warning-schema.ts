// The warning contract upstream systems post to POST /api/warnings.
import { z } from 'zod';
import { LOCALES, RISK_LEVELS, SCAM_TYPES } from '../../flows/engine/vocabulary';

const shortText = (max: number) => z.string().trim().min(1).max(max);

export const relativeSchema = z.object({
  phone: z.string().max(40),
  relation: z.string().trim().max(40).optional().nullable(),
  name: z.string().trim().max(100).optional().nullable(),
});

export const warningSchema = z.object({
  source: shortText(100),
  externalId: shortText(200),
  phone: z.string().max(40),
  name: z.string().trim().max(100).optional().nullable(),
  locale: z.enum(LOCALES).optional().nullable(),
  scamType: z.enum(SCAM_TYPES).optional().nullable(),
  riskLevel: z.enum(RISK_LEVELS).optional().nullable(),
  signals: z.array(z.string().trim().max(100)).max(50).optional().nullable(),
  amount: z.number().finite().min(0).max(1e12).optional().nullable(),
  relatives: z.array(relativeSchema).max(10).optional().nullable(),
  precinct: z.string().trim().max(100).optional().nullable(),
  telegramChatId: z.union([z.string().regex(/^-?\d{1,20}$/, 'must be a Telegram chat id (digits)'), z.number().int()]).optional().nullable(),
  receivedAt: z.iso.datetime({ offset: true }).optional().nullable(),
});
export type WarningInput = z.infer<typeof warningSchema>;

export const MAX_BATCH = 1000;
