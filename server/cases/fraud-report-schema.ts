// The contract the police case system posts to POST /api/fraud-reports: a loss reported by a citizen.
import { z } from 'zod';
import { cleanText, shortText } from './warning-schema';

export const fraudReportSchema = z.object({
  source: shortText(100),
  externalId: shortText(200),
  phone: z.string().max(40),
  /** When the loss happened (the payment to the fraudster), not when it was reported. */
  occurredAt: z.iso.datetime({
    offset: true,
    error: (iss) => (iss.input === undefined ? 'required: when the loss happened' : 'must be an ISO-8601 time with its offset, e.g. 2026-11-20T10:00:00+08:00'),
  }),
  amount: z.number().finite().min(0).max(1e12).optional().nullable(),
  /** One of our scam types; any other name is kept as given and counted as 'other'. */
  scamType: cleanText(40).optional().nullable(),
});
export type FraudReportInput = z.infer<typeof fraudReportSchema>;

export const MAX_FRAUD_REPORT_BATCH = 1000;
