// Twilio's callbacks: incoming SMS, SMS status, calls answered (outbound and incoming), speech/keys
// gathered, call status. Signature first; then each callback is processed once (re-deliveries are no-ops).
import express, { type Router, type Response } from 'express';
import twilio from 'twilio';
import { RETURN_CONTACT_FLOW_ID, type Rendered } from '../../flows/engine';
import type { Services } from '../services';
import { verifyTwilioSignature } from './twilio-signature';
import { callStatusSchema, callbackQuerySchema, gatherSchema, incomingSmsSchema, smsStatusSchema, voiceAnswerSchema } from './twilio-schema';
import { parseWith } from '../http/validate';
import { firstDelivery, forgetDelivery } from '../store/repositories/provider-events';
import { findAttemptByProviderId, getAttempt, updateAttempt } from '../store/repositories/attempts';
import { findOpenCaseByPhone, findOpenCaseByRelativePhone, getCase, updateCase } from '../store/repositories/cases';
import { audit } from '../store/repositories/audit';
import { fromJson } from '../store/ids';
import { PendingEvents } from '../events';
import { beginConversation, fallbackFlowId, flowForCase, handleFlowEvent, handleReply, loadConversation, markReached } from '../cases/conversation';
import { handOff } from '../cases/handoff';
import { moveDownLadder, scheduleNext } from '../jobs/case-jobs';
import { openReturnContactCase } from '../cases/return-contact';
import { normalisePhone } from '../cases/phone';
import { recordRelativeReply } from '../cases/relative-reply';
import { maskPhone } from '../log';
import { ValidationError } from '../errors';
import { caseLocale, systemText } from '../../flows/engine/messages';
import { VOICE_DEFAULTS } from '../../flows/engine/render/voice';

const STOP_WORDS = new Set(['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'TD', '退订']);
const START_WORDS = new Set(['START', 'UNSTOP', 'YES']);
/** Opt-out words Twilio's own opt-out handling answers (and after which it drops any reply of ours). */
const TWILIO_KEYWORDS = new Set(['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT']);

const twimlReply = (res: Response, xml: string) => res.type('text/xml').send(xml);
const emptyTwiml = () => new twilio.twiml.MessagingResponse().toString();
const messageTwiml = (text: string) => {
  const r = new twilio.twiml.MessagingResponse();
  r.message(text);
  return r.toString();
};

export function twilioWebhooks(s: Services): Router {
  const router = express.Router();
  router.use(express.urlencoded({ extended: false, limit: '64kb', parameterLimit: 200 }));
  router.use(verifyTwilioSignature(s.config.twilio.authToken, () => s.callbackBase));

  /** Runs a callback once per key; if processing fails the key is forgotten so Twilio's retry is processed. */
  const once = async (key: string, work: () => Promise<void>): Promise<boolean> => {
    if (!(await firstDelivery(s.store.db, key))) return false;
    try {
      await work();
      return true;
    } catch (err) {
      await forgetDelivery(s.store.db, key);
      throw err;
    }
  };

  router.post('/sms', async (req, res) => {
    const sms = parseWith(incomingSmsSchema, req.body, 'incoming SMS callback');
    const from = normalisePhone(sms.From, s.config.defaultRegion);
    if (!from.ok) {
      twimlReply(res, emptyTwiml());
      return;
    }
    let answer: string | undefined;
    await once(`twilio:sms:${sms.MessageSid}`, async () => {
      const word = sms.Body.trim().toUpperCase();
      let c = await findOpenCaseByPhone(s.store.db, from.e164);
      if (STOP_WORDS.has(word)) {
        if (c) await optOut(s, c.id, true);
        // Twilio answers its own keywords (and drops ours); the others get the centre's answer, in the case's language.
        if (c && !TWILIO_KEYWORDS.has(word)) answer = systemText('sms.opted_out', caseLocale(c), { callback_number: s.config.centre.callbackNumber });
        return;
      }
      // Opt-in words only mean opt-in after an opt-out (as at Twilio); otherwise "YES" answers our question.
      if (START_WORDS.has(word) && (c?.opted_out || word !== 'YES')) {
        if (c?.opted_out) {
          await optOut(s, c.id, false);
          answer = systemText('sms.opted_in', caseLocale(c), { callback_number: s.config.centre.callbackNumber });
        }
        return;
      }
      if (!c) {
        const ofRelative = await findOpenCaseByRelativePhone(s.store.db, from.e164);
        if (ofRelative) {
          await recordRelativeReply(s, ofRelative, sms.Body, sms.MessageSid);
          return;
        }
        c = await openReturnContactCase(s, from.e164, 'sms');
      }
      await handleReply(s, { caseId: c.id, channel: 'sms', text: sms.Body, providerId: sms.MessageSid });
    });
    twimlReply(res, answer ? messageTwiml(answer) : emptyTwiml());
  });

  router.post('/sms/status', async (req, res) => {
    const st = parseWith(smsStatusSchema, req.body, 'SMS status callback');
    const q = parseWith(callbackQuerySchema, req.query, 'callback URL');
    await once(`twilio:smsstatus:${st.MessageSid}:${st.MessageStatus}`, async () => {
      const attempt = q.attemptId ? await getAttempt(s.store.db, q.attemptId) : await findAttemptByProviderId(s.store.db, st.MessageSid);
      if (!attempt) return;
      await updateAttempt(s.store.db, attempt.id, { status: st.MessageStatus, error_code: st.ErrorCode ?? attempt.error_code, provider_id: attempt.provider_id ?? st.MessageSid });
      if ((st.MessageStatus === 'failed' || st.MessageStatus === 'undelivered') && !attempt.to_relative) {
        await audit(s.store.db, { caseId: attempt.case_id, actor: 'twilio', action: 'sms_failed', detail: { status: st.MessageStatus, errorCode: st.ErrorCode } });
        await moveDownLadder(s, attempt.case_id, `sms ${st.MessageStatus} ${st.ErrorCode ?? ''}`.trim(), true);
      }
    });
    res.status(204).end();
  });

  router.post('/voice', async (req, res) => {
    const call = parseWith(voiceAnswerSchema, req.body, 'voice callback');
    const q = parseWith(callbackQuerySchema, req.query, 'callback URL');
    if (q.caseId) {
      const c = await getCase(s.store.db, q.caseId);
      if (!c) {
        twimlReply(res, hangupTwiml(s, 'zh', systemText('voice.goodbye', 'zh')));
        return;
      }
      const machine = call.AnsweredBy && /^(machine|fax)/.test(call.AnsweredBy);
      if (machine) {
        const out = await handleFlowEvent(s, c.id, { type: 'voicemail' }, 'voice', { gatherActionUrl: gatherUrl(s, c.id, 0) });
        await audit(s.store.db, { caseId: c.id, actor: 'twilio', action: 'voicemail', detail: { callSid: call.CallSid } });
        twimlReply(res, voiceXml(out?.rendered) ?? hangupTwiml(s, localeOf(c), voicemailText(s, c)));
        return;
      }
      await markReached(s.store.db, c);
      const pending = new PendingEvents();
      const turns = loadConversation(s, c)?.state.turns ?? 0;
      const flow = flowForCase(s, c);
      if (!flow) {
        twimlReply(res, hangupTwiml(s, localeOf(c), voicemailText(s, c)));
        return;
      }
      const out = await s.store.db.transaction().execute((trx) => beginConversation(trx, s, c, flow, 'voice', pending, { actor: 'outreach', voice: { gatherActionUrl: gatherUrl(s, c.id, turns) } }));
      pending.flushTo(s.events);
      twimlReply(res, voiceXml(out.rendered) ?? hangupTwiml(s, localeOf(c), ''));
      return;
    }
    // A citizen calling the number: continue their case, or open a return contact.
    const from = normalisePhone(call.From, s.config.defaultRegion);
    if (!from.ok) {
      twimlReply(res, hangupTwiml(s, 'zh', ''));
      return;
    }
    const c = (await findOpenCaseByPhone(s.store.db, from.e164)) ?? (await openReturnContactCase(s, from.e164, 'voice'));
    // Their calling us is an answer: the contact ladder must not ring them again.
    await markReached(s.store.db, c);
    const flow = s.flows.current(RETURN_CONTACT_FLOW_ID) ?? s.flows.current(fallbackFlowId(s));
    if (!flow) {
      twimlReply(res, hangupTwiml(s, 'zh', ''));
      return;
    }
    const pending = new PendingEvents();
    const turns = loadConversation(s, c)?.state.turns ?? 0;
    const out = await s.store.db.transaction().execute((trx) => beginConversation(trx, s, c, flow, 'voice', pending, { actor: 'citizen', voice: { gatherActionUrl: gatherUrl(s, c.id, turns) } }));
    pending.flushTo(s.events);
    s.log.info({ from: from.e164, caseId: c.id }, 'incoming call');
    twimlReply(res, voiceXml(out.rendered) ?? hangupTwiml(s, localeOf(c), ''));
  });

  router.post('/voice/gather', async (req, res) => {
    const g = parseWith(gatherSchema, req.body, 'gather callback');
    const q = parseWith(callbackQuerySchema, req.query, 'callback URL');
    if (!q.caseId) throw new ValidationError('invalid callback URL: caseId: required');
    const turn = q.turn ?? 0;
    const text = (g.SpeechResult ?? '').trim();
    let xml: string | undefined;
    const fresh = await once(`twilio:gather:${g.CallSid}:${turn}`, async () => {
      const voice = { gatherActionUrl: gatherUrl(s, q.caseId!, turn + 1) };
      if (!text && !g.Digits) {
        // Twilio posts an empty result when the citizen said nothing: silence, not a reply.
        const out = await handleFlowEvent(s, q.caseId!, { type: 'no_reply' }, 'voice', voice);
        xml = voiceXml(out?.rendered);
        return;
      }
      const out = await handleReply(s, { caseId: q.caseId!, channel: 'voice', text, digits: g.Digits || undefined, asrConfidence: g.Confidence, providerId: g.CallSid, voice });
      const wantsHuman = !!out.result?.actions.some((a) => a.type === 'handoff' && a.reason === 'request_human');
      const c = await getCase(s.store.db, q.caseId!);
      xml = wantsHuman && s.config.twilio.deskNumber ? dialDeskTwiml(s, localeOf(c ?? { locale: 'zh' })) : voiceXml(out.rendered);
    });
    if (!fresh) {
      // A re-delivered gather: answer with what we said the first time, change nothing.
      const last = await s.store.db.selectFrom('messages').select(['payload']).where('case_id', '=', q.caseId).where('direction', '=', 'out').where('channel', '=', 'voice').orderBy('created_at', 'desc').limit(1).executeTakeFirst();
      xml = voiceXml(fromJson<Rendered | null>(last?.payload ?? null, null) ?? undefined);
    }
    twimlReply(res, xml ?? hangupTwiml(s, 'zh', ''));
  });

  router.post('/voice/status', async (req, res) => {
    const st = parseWith(callStatusSchema, req.body, 'call status callback');
    const q = parseWith(callbackQuerySchema, req.query, 'callback URL');
    await once(`twilio:call:${st.CallSid}:${st.CallStatus}`, async () => {
      const attempt = q.attemptId ? await getAttempt(s.store.db, q.attemptId) : await findAttemptByProviderId(s.store.db, st.CallSid);
      if (!attempt) return;
      await updateAttempt(s.store.db, attempt.id, { status: st.CallStatus, error_code: st.ErrorCode ?? attempt.error_code, provider_id: attempt.provider_id ?? st.CallSid });
      if (['busy', 'no-answer', 'failed', 'canceled'].includes(st.CallStatus)) {
        await audit(s.store.db, { caseId: attempt.case_id, actor: 'twilio', action: 'call_not_answered', detail: { status: st.CallStatus, errorCode: st.ErrorCode } });
        await moveDownLadder(s, attempt.case_id, `call ${st.CallStatus}`, st.CallStatus === 'failed' && !!st.ErrorCode);
      } else if (st.CallStatus === 'completed' && st.AnsweredBy && /^(machine|fax)/.test(st.AnsweredBy)) {
        // Voicemail got a short message; follow up on the next channel (SMS) now.
        await moveDownLadder(s, attempt.case_id, 'voicemail', true);
      } else if (st.CallStatus === 'completed') {
        const c = await getCase(s.store.db, attempt.case_id);
        const conv = c && loadConversation(s, c);
        // The citizen hung up mid-conversation: the flow's silence handling takes over after its wait.
        if (c && conv && !conv.state.ended && c.next_action === null) await scheduleNext(s, c.id, 'no_reply', new Date(Date.now() + 60_000).toISOString());
      }
    });
    res.status(204).end();
  });

  return router;
}

/** Key 0 / "I want an officer": connect the call to the desk's phone at once. */
function dialDeskTwiml(s: Services, locale: 'zh' | 'en'): string {
  const vr = new twilio.twiml.VoiceResponse();
  vr.say(sayAttrs(s, locale), systemText('voice.connecting_officer', locale));
  vr.dial({ callerId: s.config.twilio.from, timeout: 30 }, s.config.twilio.deskNumber!);
  return vr.toString();
}

const localeOf = caseLocale;

/** <Say> attributes for system texts: the locale's language and the configured voice. */
const sayAttrs = (s: Services, locale: 'zh' | 'en') => ({ language: VOICE_DEFAULTS[locale].say as never, voice: (locale === 'en' ? s.config.twilio.voiceEn : s.config.twilio.voiceZh) as never });

function gatherUrl(s: Services, caseId: string, turn: number): string {
  return `${s.callbackBase}/webhooks/twilio/voice/gather?caseId=${caseId}&turn=${turn}`;
}

function voiceXml(r: Rendered | undefined): string | undefined {
  return r && r.channel === 'voice' ? r.twiml : undefined;
}

function hangupTwiml(s: Services, locale: 'zh' | 'en', text: string): string {
  const vr = new twilio.twiml.VoiceResponse();
  if (text) vr.say(sayAttrs(s, locale), text);
  vr.hangup();
  return vr.toString();
}

function voicemailText(s: Services, c: { locale: string; case_ref: string }): string {
  const locale = caseLocale(c);
  return systemText('voice.voicemail', locale, { centre_name: s.config.centre.name[locale], callback_number: s.config.centre.callbackNumber, case_ref: c.case_ref });
}

/** STOP / START. An opted-out person at risk goes to a human instead of falling silent. */
async function optOut(s: Services, caseId: string, stop: boolean): Promise<void> {
  const c = await getCase(s.store.db, caseId);
  if (!c) return;
  await updateCase(s.store.db, caseId, { opted_out: stop ? 1 : 0, ...(stop ? { next_action: null, next_action_at: null } : {}) });
  await audit(s.store.db, { caseId, actor: 'citizen', action: stop ? 'sms_opt_out' : 'sms_opt_in' });
  s.log.info({ phone: maskPhone(c.phone), stop }, 'sms opt-out keyword');
  if (stop) {
    const pending = new PendingEvents();
    await handOff(s.store.db, pending, { caseId, reason: 'opted_out', riskLevel: c.risk_level, note: 'citizen replied STOP to warning SMS: reach them another way', actor: 'citizen' });
    pending.flushTo(s.events);
  }
}
