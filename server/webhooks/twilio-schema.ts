// What we read from Twilio's form-encoded callbacks. Twilio sends many more fields; we ignore the rest.
import { z } from 'zod';

const sid = (prefix: string) => z.string().regex(new RegExp(`^${prefix}[0-9a-zA-Z]{32}$`), `must be a Twilio ${prefix}… sid`);

export const incomingSmsSchema = z.object({
  MessageSid: sid('(SM|MM)'),
  From: z.string().min(3).max(40),
  To: z.string().max(40).optional(),
  Body: z.string().max(5000).default(''),
});

export const smsStatusSchema = z.object({
  MessageSid: sid('(SM|MM)'),
  MessageStatus: z.enum(['accepted', 'scheduled', 'queued', 'sending', 'sent', 'delivered', 'undelivered', 'failed', 'receiving', 'received', 'read', 'canceled', 'partially_delivered']),
  ErrorCode: z.string().max(10).optional(),
});

export const voiceAnswerSchema = z.object({
  CallSid: sid('CA'),
  From: z.string().max(40).default(''),
  To: z.string().max(40).default(''),
  Direction: z.string().max(40).optional(),
  AnsweredBy: z.string().max(40).optional(),
});

export const gatherSchema = z.object({
  CallSid: sid('CA'),
  SpeechResult: z.string().max(5000).optional(),
  Confidence: z.coerce.number().min(0).max(1).optional(),
  Digits: z.string().regex(/^[0-9*#w]{0,20}$/, 'must be keypad digits').optional(),
});

export const callStatusSchema = z.object({
  CallSid: sid('CA'),
  CallStatus: z.enum(['queued', 'initiated', 'ringing', 'in-progress', 'completed', 'busy', 'failed', 'no-answer', 'canceled']),
  AnsweredBy: z.string().max(40).optional(),
  CallDuration: z.string().max(10).optional(),
  ErrorCode: z.string().max(10).optional(),
});

export const callbackQuerySchema = z.object({
  caseId: z.uuid('caseId must be a case id').optional(),
  attemptId: z.uuid('attemptId must be an attempt id').optional(),
  messageId: z.uuid('messageId must be a message id').optional(),
  outboxId: z.uuid('outboxId must be an outbox id').optional(),
  turn: z.coerce.number().int().min(0).max(10000).optional(),
  /** The call is being recorded: the citizen hears the recording notice first. */
  recorded: z.literal('1', 'recorded must be 1').optional(),
});

export const recordingStatusSchema = z.object({
  CallSid: sid('CA'),
  RecordingSid: sid('RE'),
  RecordingUrl: z.url('must be a URL').max(500).optional(),
  RecordingStatus: z.enum(['in-progress', 'completed', 'absent', 'failed']),
  RecordingDuration: z.coerce.number().int().min(0).max(86_400).optional(),
  RecordingChannels: z.coerce.number().int().min(1).max(2).optional(),
  RecordingStartTime: z.string().max(64).optional(),
  ErrorCode: z.string().max(10).optional(),
});
