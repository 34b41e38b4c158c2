// Twilio's callbacks: incoming SMS, SMS status, calls answered (outbound and incoming), speech/keys
// gathered, call status. Signature first; then each callback is processed once (re-deliveries are no-ops).
import express, { type Router, type Response } from 'express';
import twilio from 'twilio';
import type { Rendered } from '../../flows/engine';
import type { Services } from '../services';
import { verifyTwilioSignature } from './twilio-signature';
import { callStatusSchema, callbackQuerySchema, gatherSchema, incomingSmsSchema, recordingStatusSchema, smsStatusSchema, voiceAnswerSchema } from './twilio-schema';
import { recordRecordingStatus } from '../recordings/recordings';
import { parseWith } from '../http/validate';
import { firstDelivery, forgetDelivery } from '../store/repositories/provider-events';
import { getAttempt } from '../store/repositories/attempts';
import { findLatestCaseByPhone, findOpenCaseByPhone, findOpenCaseByRelativePhone, getCase, updateCase } from '../store/repositories/cases';
import { audit } from '../store/repositories/audit';
import { fromJson, toJson } from '../store/ids';
import { answerCall, conversationPort, handleFlowEvent, handleReply } from '../cases/conversation';
import { runCaseEvent } from '../cases/case-events';
import { recordProviderStatus, type StatusMeaning } from '../cases/provider-status';
import { openReturnContactCase } from '../cases/return-contact';
import { normalisePhone } from '../cases/phone';
import { recordRelativeReply } from '../cases/relative-reply';
import { maskPhone } from '../masking';
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
        // Their own case closed: it reopens with its history (handleReply); a new contact gets a case of their own.
        const latest = await findLatestCaseByPhone(s.store.db, from.e164);
        c = latest?.status === 'closed' ? latest : await openReturnContactCase(s, from.e164, 'sms');
      }
      await handleReply(s, { caseId: c.id, channel: 'sms', text: sms.Body, providerId: sms.MessageSid });
    });
    twimlReply(res, answer ? messageTwiml(answer) : emptyTwiml());
  });

  router.post('/sms/status', async (req, res) => {
    const st = parseWith(smsStatusSchema, req.body, 'SMS status callback');
    const q = parseWith(callbackQuerySchema, req.query, 'callback URL');
    const report = { key: `twilio:smsstatus:${st.MessageSid}:${st.MessageStatus}`, outboxId: q.outboxId, attemptId: q.attemptId, providerId: st.MessageSid, status: st.MessageStatus, errorCode: st.ErrorCode };
    const meaning: StatusMeaning | undefined =
      st.MessageStatus === 'delivered' || st.MessageStatus === 'read' ? { outcome: 'delivered' }
      : st.MessageStatus === 'undelivered' || st.MessageStatus === 'failed' ? { outcome: 'undelivered', failure: 'sms_failed' }
      : undefined;
    await recordProviderStatus(s, report, meaning, conversationPort);
    res.status(204).end();
  });

  router.post('/voice', async (req, res) => {
    const call = parseWith(voiceAnswerSchema, req.body, 'voice callback');
    const q = parseWith(callbackQuerySchema, req.query, 'callback URL');
    let xml: string | undefined;
    // Once per call: a replayed answer webhook gets the TwiML the call was first given and changes nothing.
    const fresh = await once(`twilio:voice:${call.CallSid}`, async () => {
      xml = q.caseId ? await answerOurCall(call, q.caseId, q.attemptId, !!q.recorded) : await answerIncomingCall(call);
    });
    if (!fresh) xml = (await spokenTwiml(`${call.CallSid}:answer`)) ?? retryTwiml(s, req.originalUrl);
    twimlReply(res, xml ?? hangupTwiml(s, 'zh', ''));
  });

  /** Our warning call was answered: by a person (the conversation starts) or by a machine (a short message). */
  const answerOurCall = async (call: { CallSid: string; AnsweredBy?: string }, caseId: string, attemptId?: string, recorded = false): Promise<string> => {
    const c = await getCase(s.store.db, caseId);
    if (!c) return hangupTwiml(s, 'zh', 'Sorry, goodbye.');
    const voice = { gatherActionUrl: gatherUrl(s, c.id, 0), turnKey: `${call.CallSid}:answer` };
    if (call.AnsweredBy && /^(machine|fax)/.test(call.AnsweredBy)) {
      // The status callback tells the lifecycle it was voicemail; here only the message is left.
      const out = await handleFlowEvent(s, c.id, { type: 'voicemail' }, 'voice', voice);
      await audit(s.store.db, { caseId: c.id, actor: 'twilio', action: 'voicemail', detail: { callSid: call.CallSid } });
      return voiceXml(out?.rendered) ?? hangupTwiml(s, localeOf(c), voicemailText(s, c));
    }
    const attempt = attemptId ? await getAttempt(s.store.db, attemptId) : undefined;
    // A recorded call (policy.yaml recording) says so before anything else.
    const notice = recorded ? s.policy.recording?.notice[localeOf(c)] : undefined;
    const out = await answerCall(s, { caseId: c.id, attemptNo: attempt?.attempt_no, inbound: false, voice, notice });
    return voiceXml(out?.rendered) ?? hangupTwiml(s, localeOf(c), voicemailText(s, c));
  };

  /** A citizen calling the number: their open case, their own closed case (it reopens), or a new return contact. */
  const answerIncomingCall = async (call: { CallSid: string; From: string }): Promise<string> => {
    const from = normalisePhone(call.From, s.config.defaultRegion);
    if (!from.ok) return hangupTwiml(s, 'zh', '');
    const latest = await findLatestCaseByPhone(s.store.db, from.e164);
    const c = (await findOpenCaseByPhone(s.store.db, from.e164)) ?? (latest?.status === 'closed' ? latest : await openReturnContactCase(s, from.e164, 'voice'));
    const out = await answerCall(s, { caseId: c.id, inbound: true, voice: { gatherActionUrl: gatherUrl(s, c.id, 0), turnKey: `${call.CallSid}:answer` } });
    s.log.info({ from: maskPhone(from.e164), caseId: c.id }, 'incoming call');
    return voiceXml(out?.rendered) ?? hangupTwiml(s, localeOf(c), '');
  };

  /** The TwiML we answered a call's turn with, as stored on its voice message. */
  const spokenTwiml = async (turnKey: string): Promise<string | undefined> => {
    const m = await s.store.db.selectFrom('messages').select(['payload']).where('provider_id', '=', `twiml:${turnKey}`).executeTakeFirst();
    return voiceXml(fromJson<Rendered | null>(m?.payload ?? null, null) ?? undefined);
  };

  router.post('/voice/gather', async (req, res) => {
    const g = parseWith(gatherSchema, req.body, 'gather callback');
    const q = parseWith(callbackQuerySchema, req.query, 'callback URL');
    if (!q.caseId) throw new ValidationError('invalid callback URL: caseId: required');
    const turn = q.turn ?? 0;
    const turnKey = `${g.CallSid}:${turn}`;
    const text = (g.SpeechResult ?? '').trim();
    let xml: string | undefined;
    const fresh = await once(`twilio:gather:${turnKey}`, async () => {
      const voice = { gatherActionUrl: gatherUrl(s, q.caseId!, turn + 1), turnKey };
      if (!text && !g.Digits) {
        // Twilio posts an empty result when the citizen said nothing: silence, not a reply.
        const out = await handleFlowEvent(s, q.caseId!, { type: 'no_reply' }, 'voice', voice);
        xml = out?.connectDesk ? dialDeskTwiml(s, localeOf((await getCase(s.store.db, q.caseId!)) ?? { locale: 'zh' }), out.result?.prompts.map((p) => p.text)) : voiceXml(out?.rendered);
        if (out?.outbound && out.connectDesk && xml) await keepSpoken(out.outbound.id, xml);
        return;
      }
      const out = await handleReply(s, { caseId: q.caseId!, channel: 'voice', text, digits: g.Digits || undefined, asrConfidence: g.Confidence, providerId: g.CallSid, voice });
      // Someone at risk, or asking for an officer, is connected to the desk rather than hung up on.
      const c = await getCase(s.store.db, q.caseId!);
      xml = out.connectDesk ? dialDeskTwiml(s, localeOf(c ?? { locale: 'zh' }), out.result?.prompts.map((p) => p.text)) : voiceXml(out.rendered);
      if (out.outbound && out.connectDesk && xml) await keepSpoken(out.outbound.id, xml);
    });
    // A re-delivered gather: answer with what we said the first time, change nothing.
    if (!fresh) xml = (await spokenTwiml(turnKey)) ?? retryTwiml(s, req.originalUrl);
    twimlReply(res, xml ?? hangupTwiml(s, 'zh', ''));
  });

  /** What was answered on a turn is what a replay gets (a <Dial> to the desk included). */
  const keepSpoken = async (messageId: string, twiml: string) => {
    await s.store.db.updateTable('messages').set({ payload: toJson({ channel: 'voice', twiml }) }).where('id', '=', messageId).execute();
  };

  router.post('/voice/status', async (req, res) => {
    const st = parseWith(callStatusSchema, req.body, 'call status callback');
    const q = parseWith(callbackQuerySchema, req.query, 'callback URL');
    const report = { key: `twilio:call:${st.CallSid}:${st.CallStatus}`, outboxId: q.outboxId, attemptId: q.attemptId, providerId: st.CallSid, status: st.CallStatus, errorCode: st.ErrorCode };
    // An answered call (in-progress) is the answer webhook's to tell the lifecycle; ringing and the like are news to nobody.
    const meaning: StatusMeaning | undefined =
      ['busy', 'no-answer', 'canceled'].includes(st.CallStatus) ? { outcome: 'unanswered', failure: 'call_not_answered' }
      : st.CallStatus === 'failed' ? { outcome: 'failed', permanent: !!st.ErrorCode, failure: 'call_not_answered' }
      : st.CallStatus === 'completed' ? { outcome: st.AnsweredBy && /^(machine|fax)/.test(st.AnsweredBy) ? 'voicemail' : 'call_ended' }
      : undefined;
    await recordProviderStatus(s, report, meaning, conversationPort);
    res.status(204).end();
  });

  // A call recording started, finished, or came out empty: keep our reference to it (Twilio holds the audio).
  router.post('/voice/recording', async (req, res) => {
    const r = parseWith(recordingStatusSchema, req.body, 'recording status callback');
    const q = parseWith(callbackQuerySchema, req.query, 'callback URL');
    await once(`twilio:recording:${r.RecordingSid}:${r.RecordingStatus}`, () => recordRecordingStatus(s, r, q));
    res.status(204).end();
  });

  return router;
}

/**
 * Someone at risk or asking for an officer: what the script said (what to do meanwhile), then the call is
 * connected to the desk's phone. If nobody at the desk picks up, the citizen hears that an officer will call.
 */
function dialDeskTwiml(s: Services, locale: 'zh' | 'en', said: string[] = []): string {
  const vr = new twilio.twiml.VoiceResponse();
  const say = sayAttrs(s, locale);
  for (const text of said) vr.say(say, text);
  vr.say(say, systemText('voice.connecting_officer', locale));
  vr.dial({ callerId: s.config.twilio.from, timeout: 30 }, s.config.twilio.deskNumber!);
  vr.say(say, locale === 'en' ? `No officer could take the call just now. An officer will call you back from ${s.config.centre.callbackNumber} within minutes.` : `民警暂时未能接听，将在几分钟内用${s.config.centre.callbackNumber}给您回电。`);
  vr.hangup();
  return vr.toString();
}

/** A replay that came before the first answer was stored: ask Twilio to come back in a moment. */
function retryTwiml(s: Services, originalUrl: string): string {
  const vr = new twilio.twiml.VoiceResponse();
  vr.pause({ length: 1 });
  vr.redirect({ method: 'POST' }, `${s.callbackBase}${originalUrl}`);
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

/** STOP / START. An opted-out person goes to a human instead of falling silent (the lifecycle decides). */
async function optOut(s: Services, caseId: string, stop: boolean): Promise<void> {
  const c = await getCase(s.store.db, caseId);
  if (!c) return;
  await updateCase(s.store.db, caseId, { opted_out: stop ? 1 : 0 });
  await audit(s.store.db, { caseId, actor: 'citizen', action: stop ? 'sms_opt_out' : 'sms_opt_in' });
  s.log.info({ phone: maskPhone(c.phone), stop }, 'sms opt-out keyword');
  await runCaseEvent(s, caseId, { type: stop ? 'opted_out' : 'opted_in' }, conversationPort, 'citizen');
}
