// Twilio's callbacks about the stop-payment three-way call: the room's events (start, join, leave, end) and
// each participant's call ending. Signature first; each callback is recorded once on the request's case.
import express, { type Router } from 'express';
import { z } from 'zod';
import type { Services } from '../services';
import { verifyTwilioSignature } from './twilio-signature';
import { parseWith } from '../http/validate';
import { firstDelivery } from '../store/repositories/provider-events';
import { audit } from '../store/repositories/audit';
import { getStopPaymentRequest } from '../org/stop-payments';
import { dialOthers } from '../org/bank-call';

const query = z.object({ requestId: z.uuid(), label: z.enum(['officer', 'citizen', 'bank']).optional() });
const conferenceEvent = z.object({
  ConferenceSid: z.string().regex(/^CF[0-9a-fA-F]{32}$/),
  StatusCallbackEvent: z.string().min(1).max(40),
  SequenceNumber: z.string().max(10).optional(),
  CallSid: z.string().max(64).optional(),
  Label: z.string().max(64).optional(),
  ReasonParticipantLeft: z.string().max(100).optional(),
  ReasonConferenceEnded: z.string().max(100).optional(),
});
const participantCall = z.object({ CallSid: z.string().regex(/^CA[0-9a-fA-F]{32}$/), CallStatus: z.string().min(1).max(20) });

export function twilioConferenceWebhooks(s: Services): Router {
  const router = express.Router();
  router.use(express.urlencoded({ extended: false, limit: '64kb', parameterLimit: 200 }));
  router.use(verifyTwilioSignature(s.config.twilio.authToken, () => s.callbackBase));

  router.post('/', async (req, res) => {
    const { requestId } = parseWith(query, req.query, 'conference callback query');
    const e = parseWith(conferenceEvent, req.body, 'conference callback');
    const r = await getStopPaymentRequest(s.store.db, requestId);
    if (r && (await firstDelivery(s.store.db, `twilio:conference:${e.ConferenceSid}:${e.SequenceNumber ?? e.StatusCallbackEvent}:${e.CallSid ?? ''}`))) {
      await audit(s.store.db, {
        caseId: r.case_id,
        actor: 'twilio',
        action: 'bank_call_event',
        detail: { requestId, event: e.StatusCallbackEvent, label: e.Label ?? null, reason: e.ReasonParticipantLeft ?? e.ReasonConferenceEnded ?? null },
      });
      s.events.publish({ type: 'org', change: 'stop_payment', caseId: r.case_id, requestId });
      if (e.StatusCallbackEvent === 'participant-join' && e.Label === 'officer') await dialOthers(s, requestId, e.ConferenceSid);
    }
    res.status(204).end();
  });

  router.post('/participant', async (req, res) => {
    const { requestId, label } = parseWith(query, req.query, 'participant callback query');
    const p = parseWith(participantCall, req.body, 'participant call callback');
    const r = await getStopPaymentRequest(s.store.db, requestId);
    // A call that ended without being answered never joined the room: say so, or the officer waits for nobody.
    if (r && p.CallStatus !== 'completed' && (await firstDelivery(s.store.db, `twilio:conference-call:${p.CallSid}:${p.CallStatus}`))) {
      await audit(s.store.db, { caseId: r.case_id, actor: 'twilio', action: 'bank_call_event', detail: { requestId, event: 'participant-not-reached', label: label ?? null, reason: p.CallStatus } });
      s.events.publish({ type: 'org', change: 'stop_payment', caseId: r.case_id, requestId });
    }
    res.status(204).end();
  });

  return router;
}
