// Drives one journey (flows/tests/journeys/*.yaml) through the local phone network and the real app:
// the citizen's phone gets the warning, answers by text, button, speech or keys, and each answer is
// observed as the citizen sees it (the phone) and as the case records it (the database).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse as parseYaml, stringify } from 'yaml';
import { compareTurn, type Journey, type JourneyExpect, type Observed } from '../../flows/engine/journey-schema';
import { POLICY_FILE } from '../../flows/engine';
import type { ChannelName } from '../../flows/engine/vocabulary';
import { eventually } from '../support/stack';
import type { E2E } from './helpers';

/** The shipped policy with this channel first and no quiet hours, so a new case is contacted there at once. */
export function policyFirst(channel: ChannelName): string {
  const policy = parseYaml(fs.readFileSync(POLICY_FILE, 'utf8')) as Record<string, any>;
  // Every risk tier: this channel first, then a relative; nothing held at night.
  for (const tier of Object.keys(policy.escalation)) {
    policy.escalation[tier].quietHours = 'nothing';
    policy.escalation[tier].ladder = [{ contact: [channel], deadlineMinutes: 30 }, { relatives: true, deadlineMinutes: 30 }];
  }
  const file = path.join(os.tmpdir(), `qz-journeys-${process.pid}-${channel}.yaml`);
  fs.writeFileSync(file, stringify(policy));
  return file;
}

// Twilio's own keyword auto-replies (sms.ts in the phone network): not the app's answers.
const TWILIO_AUTO_REPLY = /^(You have successfully|Reply STOP to unsubscribe)/;

export const DESK_PHONE = '+8657188880001';

let counter = 0;

export interface JourneyRun {
  failures: string[];
  caseId?: string;
}

export async function runJourney(e: E2E, j: Journey): Promise<JourneyRun> {
  const net = e.stack.network.control;
  const n = ++counter;
  const phone = `+861390${String(n).padStart(3, '0')}${String(process.pid % 10000).padStart(4, '0')}`;
  const chatId = 800000 + (process.pid % 1000) * 100 + n;
  const profile = j.warning?.telegramLanguage ? { languageCode: j.warning.telegramLanguage } : undefined;
  const failures: string[] = [];
  const check = (where: string, want: JourneyExpect | undefined, got: Observed) => {
    for (const f of compareTurn(want, got)) failures.push(`${where}: ${f}`);
  };

  const body = {
    source: 'journeys',
    externalId: `J-${process.pid}-${Date.now()}-${n}`,
    phone,
    scamType: j.warning?.scamType ?? 'pig_butchering',
    riskLevel: 'medium',
    locale: j.locale,
    ...(j.warning?.name !== undefined ? { name: j.warning.name } : { name: j.locale === 'zh' ? '王小明' : 'Alex Chen' }),
    ...(j.warning?.amount !== undefined ? { amount: j.warning.amount } : {}),
    ...(j.channel === 'telegram' ? { telegramChatId: String(chatId) } : {}),
  };
  const r = await e.stack.api('POST', '/api/warnings', 'intake', body);
  if (r.status !== 202) return { failures: [`warning refused: ${r.status} ${JSON.stringify(r.body)}`] };
  const caseId: string = r.body.caseId;

  // What the citizen has received so far, per channel, so each turn reads only what it caused.
  const smsSeen = async () => (await net.inbox(phone)).filter((i) => i.channel === 'sms' && i.direction === 'to-citizen' && !TWILIO_AUTO_REPLY.test(i.text));
  const botSeen = async () => (await net.telegramChat(chatId)).messages.filter((m) => m.from === 'bot');
  let callSid: string | undefined;
  let smsCount = 0;
  let botCount = 0;

  const outboundRows = async () =>
    e.store.db.selectFrom('messages').select(['id', 'channel']).where('case_id', '=', caseId).where('direction', '=', 'out').execute();

  /** Waits for the answer on the journey's channel: the messages the app wrote this turn, as they reached the phone. */
  const textAnswer = async (rowsBefore: number, extra = 0): Promise<string | undefined> => {
    const rows = (await outboundRows()).slice(rowsBefore).filter((m) => m.channel === j.channel);
    const want = rows.length + extra;
    if (j.channel === 'sms') {
      const got = want === 0 ? (await smsSeen()).slice(smsCount) : await eventually(async () => {
        const all = (await smsSeen()).slice(smsCount);
        return all.length >= want ? all : undefined;
      }, `${want} SMS to ${phone}`);
      smsCount += got.length;
      return got.map((i) => i.text).join('\n') || undefined;
    }
    const got = want === 0 ? (await botSeen()).slice(botCount) : await eventually(async () => {
      const all = (await botSeen()).slice(botCount);
      return all.length >= want ? all : undefined;
    }, `${want} Telegram messages in chat ${chatId}`);
    botCount += got.length;
    return got.map((m) => m.text ?? '').join('\n') || undefined;
  };

  /** Voice: what the call said after the last input, once it gathers again, hangs up or dials. */
  const voiceAnswer = async (sid: string, afterInputs: number): Promise<string | undefined> => {
    const said = await eventually(async () => {
      const call = await net.call(sid);
      const t = call.transcript;
      let seen = 0;
      let from = 0;
      for (let i = 0; i < t.length; i++) if (t[i].kind === 'input' || t[i].kind === 'no-input') if (++seen === afterInputs) from = i + 1;
      if (seen < afterInputs) return undefined;
      const tail = t.slice(from);
      const done = tail.some((x) => x.kind === 'gather' || x.kind === 'hangup' || x.kind === 'dial') || ['completed', 'failed'].includes(call.status);
      return done ? tail.filter((x) => x.kind === 'say').map((x) => (x as { text: string }).text) : undefined;
    }, `call ${sid} to answer`);
    return said.join('\n') || undefined;
  };

  const observe = async (text: string | undefined): Promise<Observed> => {
    const c = await e.store.db.selectFrom('cases').selectAll().where('id', '=', caseId).executeTakeFirstOrThrow();
    const conv = c.conversation ? (JSON.parse(c.conversation) as { stateId: string; slots: Record<string, string>; ended: boolean; outcome?: string }) : undefined;
    const inbound = await e.store.db.selectFrom('messages').select(['intent', 'classification']).where('case_id', '=', caseId).where('direction', '=', 'in').orderBy('created_at', 'desc').limit(1).executeTakeFirst();
    const handoffs = await e.store.db.selectFrom('handoffs').selectAll().where('case_id', '=', caseId).orderBy('created_at', 'desc').execute();
    const h = handoffs.find((x) => x.status !== 'resolved') ?? handoffs[0];
    const cls = inbound?.classification ? (JSON.parse(inbound.classification) as { decidedBy?: Observed['by'] }) : undefined;
    return {
      state: conv?.stateId,
      understood: inbound?.intent ?? undefined,
      by: cls?.decidedBy,
      slots: conv?.slots ?? {},
      handoff: h?.reason ?? 'none',
      priority: h?.priority,
      ended: conv?.ended ?? false,
      outcome: conv?.outcome ?? c.outcome ?? undefined,
      text,
    };
  };

  // The first message.
  let first: string | undefined;
  if (j.channel === 'sms') {
    first = (await net.waitForSms(phone, { timeoutMs: 15_000 })).body;
    smsCount = 1;
  } else if (j.channel === 'telegram') {
    first = (await net.waitForTelegram(chatId, { timeoutMs: 15_000 })).text ?? undefined;
    botCount = 1;
  } else {
    const call = await net.waitForCall(phone, { timeoutMs: 15_000 });
    callSid = call.sid;
    await net.answerCall(call.sid);
    first = (await net.waitForGather(call.sid, { timeoutMs: 15_000 })).prompt.join('\n');
  }
  check('first message', j.first, await observe(first));

  let inputs = 0;
  for (const [i, t] of j.turns.entries()) {
    const where = `turn ${i + 1} (${t.send ?? t.press ?? t.command ?? 'desk call'})`;
    const before = (await outboundRows()).length;
    let text: string | undefined;
    try {
      if (t.deskCall) {
        text = await deskCall(e, caseId);
      } else if (j.channel === 'voice') {
        if (t.command) throw new Error('commands are for Telegram');
        await net.answerGather(callSid!, t.send !== undefined ? { speech: t.send, confidence: 0.9 } : { digits: t.press! });
        text = await voiceAnswer(callSid!, ++inputs);
      } else if (j.channel === 'sms') {
        if (t.send === undefined) throw new Error('an SMS journey can only send text');
        await net.sendSms(phone, t.send);
        text = await textAnswer(before);
      } else {
        if (t.command) {
          await net.sendTelegram(chatId, t.command, profile);
          text = await textAnswer(before, 1);
        } else if (t.press !== undefined) {
          const withButtons = (await botSeen()).filter((m) => m.inlineKeyboard?.length).at(-1);
          const button = withButtons?.inlineKeyboard?.flat().find((b) => b.text === t.press);
          if (!withButtons || !button?.callbackData) throw new Error(`no button "${t.press}" on the last menu (${JSON.stringify(withButtons?.inlineKeyboard?.flat().map((b) => b.text))})`);
          await net.pressButton(chatId, withButtons.messageId, button.callbackData);
          await eventually(async () => (await e.store.db.selectFrom('messages').select('id').where('case_id', '=', caseId).where('direction', '=', 'in').execute()).length > inputs, 'the button press on the case');
          inputs++;
          text = await textAnswer(before);
        } else {
          await net.sendTelegram(chatId, t.send!, profile);
          text = await textAnswer(before);
        }
      }
    } catch (err) {
      failures.push(`${where}: ${(err as Error).message}`);
      break;
    }
    check(where, t.expect, await observe(text));
  }
  return { failures, caseId };
}

/** An officer (the desk's API key) claims the case's handoff and calls the citizen; returns what the officer hears. */
async function deskCall(e: E2E, caseId: string): Promise<string> {
  const net = e.stack.network.control;
  const h = await eventually(async () => e.store.db.selectFrom('handoffs').select('id').where('case_id', '=', caseId).where('status', '<>', 'resolved').executeTakeFirst(), 'a handoff to claim');
  const claimed = await e.stack.api('POST', `/api/desk/handoffs/${h.id}/claim`, 'desk');
  if (claimed.status !== 200) throw new Error(`claim: ${claimed.status} ${JSON.stringify(claimed.body)}`);
  const call = await e.stack.api('POST', `/api/desk/cases/${caseId}/call`, 'desk');
  if (call.status !== 202) throw new Error(`call: ${call.status} ${JSON.stringify(call.body)}`);
  const ringing = await net.waitForCall(DESK_PHONE, { timeoutMs: 10_000 });
  await net.answerCall(ringing.sid);
  const bridged = await eventually(async () => {
    const c = await net.call(ringing.sid);
    return c.connectedTo ? c : undefined;
  }, 'the citizen to be connected');
  await net.endDial(ringing.sid);
  return bridged.transcript.filter((x) => x.kind === 'say').map((x) => (x as { text: string }).text).join('\n');
}
