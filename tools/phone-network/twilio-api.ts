// Twilio's REST API, the part the twilio library calls for Messages and Calls (API version 2010-04-01).
import express, { type NextFunction, type Request, type Response } from 'express';
import type { NetworkContext } from './context';
import { sendFault, takeFault } from './faults';
import { rfc2822, twilioError } from './twilio-format';
import { TwilioRefusal } from './twilio-refusal';
import { callJson, conferenceJson, messageJson, participantJson, recordingJson } from './twilio-resources';
import type { ConferenceEngine } from './conference';
import type { SmsEngine } from './sms';
import { nowIso } from './state';
import type { VoiceEngine } from './voice';
import type { RecordingEngine } from './recordings';

type Body = Record<string, string | string[] | undefined>;

function first(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

export function twilioApiRouter(ctx: NetworkContext, sms: SmsEngine, voice: VoiceEngine, conferences: ConferenceEngine, recordings: RecordingEngine): express.Router {
  const router = express.Router();
  const { accountSid, authToken } = ctx.options.twilio;
  const base = '/2010-04-01/Accounts/:accountSid';

  router.use('/2010-04-01', express.urlencoded({ extended: false }));

  router.use('/2010-04-01', (req: Request, res: Response, next: NextFunction) => {
    res.on('finish', () =>
      ctx.state.apiRequests.push({ at: nowIso(), provider: 'twilio', method: req.method, path: req.originalUrl, status: res.statusCode, fault: null }),
    );
    const header = req.headers.authorization ?? '';
    const [scheme, encoded] = header.split(' ');
    const [user, ...rest] = scheme === 'Basic' && encoded ? Buffer.from(encoded, 'base64').toString('utf8').split(':') : [];
    if (!user) {
      res.status(401).set('WWW-Authenticate', 'Basic realm="Twilio API"').json(twilioError(401, 20003, 'Authentication Error - No credentials provided'));
      return;
    }
    if (user !== accountSid || rest.join(':') !== authToken) {
      res.status(401).set('WWW-Authenticate', 'Basic realm="Twilio API"').json(twilioError(401, 20003, 'Authenticate'));
      return;
    }
    next();
  });

  // The path's account must be the authenticated one.
  router.use(`${base}{/*rest}`, (req: Request, res: Response, next: NextFunction) => {
    if (String(req.params.accountSid).replace(/\.json$/, '') !== accountSid) return notFound(req, res);
    next();
  });

  /**
   * Faults armed for this request (per number or global): true when the fault answered instead,
   * 'hold' when the request is to be carried out but never answered, 'after' when it is to be carried out
   * and then answered with the fault.
   */
  function faulted(req: Request, res: Response): boolean | 'hold' | (() => void) {
    const to = typeof (req.body as Body | undefined)?.To === 'string' ? ((req.body as Body).To as string) : null;
    const kind = takeFault(ctx.state, 'twilio', req.path, to);
    if (kind === null) return false;
    res.on('finish', () => {
      const last = ctx.state.apiRequests[ctx.state.apiRequests.length - 1];
      if (last) last.fault = kind;
    });
    if (kind === 'timeout' || kind === 'accepted-timeout') ctx.state.apiRequests.push({ at: nowIso(), provider: 'twilio', method: req.method, path: req.originalUrl, status: 0, fault: kind });
    if (kind === 'accepted-timeout') return 'hold';
    if (kind === 'accepted-500' || kind === 'accepted-502') return () => sendFault(res, 'twilio', kind);
    sendFault(res, 'twilio', kind);
    return true;
  }

  router.get(`${base}.json`, (_req, res) => {
    res.json({
      sid: accountSid,
      owner_account_sid: accountSid,
      friendly_name: 'quanzu local phone network',
      status: 'active',
      type: 'Full',
      date_created: rfc2822(nowIso()),
      date_updated: rfc2822(nowIso()),
      auth_token: authToken,
      uri: `/2010-04-01/Accounts/${accountSid}.json`,
      subresource_uris: {},
    });
  });

  router.post(`${base}/Messages.json`, (req, res) => {
    const fault = faulted(req, res);
    if (fault === true) return;
    const b = (req.body ?? {}) as Body;
    const record = sms.create({
      To: first(b.To),
      From: first(b.From),
      MessagingServiceSid: first(b.MessagingServiceSid),
      Body: first(b.Body),
      MediaUrl: b.MediaUrl,
      StatusCallback: first(b.StatusCallback),
    });
    if (fault === 'hold') return;
    if (typeof fault === 'function') return fault();
    res.status(201).json(messageJson(record));
  });

  router.get(`${base}/Messages.json`, (req, res) => {
    const { To, From } = req.query as Record<string, string | undefined>;
    const list = ctx.state.messages.filter((m) => (!To || m.to === To) && (!From || m.from === From)).reverse();
    res.json(page('messages', list.map(messageJson), req));
  });

  router.get(`${base}/Messages/:sid.json`, (req, res) => {
    const m = ctx.state.message(String(req.params.sid));
    if (!m) return notFound(req, res);
    res.json(messageJson(m));
  });

  router.post(`${base}/Calls.json`, (req, res) => {
    const fault = faulted(req, res);
    if (fault === true) return;
    const b = (req.body ?? {}) as Body;
    const record = voice.create({
      To: first(b.To),
      From: first(b.From),
      Url: first(b.Url),
      Method: first(b.Method),
      Twiml: first(b.Twiml),
      ApplicationSid: first(b.ApplicationSid),
      StatusCallback: first(b.StatusCallback),
      StatusCallbackEvent: b.StatusCallbackEvent,
      StatusCallbackMethod: first(b.StatusCallbackMethod),
      MachineDetection: first(b.MachineDetection),
      AsyncAmd: first(b.AsyncAmd),
      AsyncAmdStatusCallback: first(b.AsyncAmdStatusCallback),
      AsyncAmdStatusCallbackMethod: first(b.AsyncAmdStatusCallbackMethod),
      Timeout: first(b.Timeout),
      FallbackUrl: first(b.FallbackUrl),
      FallbackMethod: first(b.FallbackMethod),
      Record: first(b.Record),
      RecordingChannels: first(b.RecordingChannels),
      RecordingStatusCallback: first(b.RecordingStatusCallback),
      RecordingStatusCallbackMethod: first(b.RecordingStatusCallbackMethod),
      RecordingStatusCallbackEvent: b.RecordingStatusCallbackEvent,
    });
    if (fault === 'hold') return;
    if (typeof fault === 'function') return fault();
    res.status(201).json(callJson(record));
  });

  router.get(`${base}/Calls.json`, (req, res) => {
    const { To, From, Status } = req.query as Record<string, string | undefined>;
    const list = ctx.state.calls.filter((c) => (!To || c.to === To) && (!From || c.from === From) && (!Status || c.status === Status)).reverse();
    res.json(page('calls', list.map(callJson), req));
  });

  router.get(`${base}/Calls/:sid.json`, (req, res) => {
    const c = ctx.state.call(String(req.params.sid));
    if (!c) return notFound(req, res);
    res.json(callJson(c));
  });

  router.post(`${base}/Calls/:sid.json`, (req, res) => {
    const fault = faulted(req, res);
    if (fault === true) return;
    const b = (req.body ?? {}) as Body;
    const record = voice.update(String(req.params.sid), { Status: first(b.Status), Url: first(b.Url), Method: first(b.Method), Twiml: first(b.Twiml) });
    if (fault === 'hold') return;
    if (typeof fault === 'function') return fault();
    res.json(callJson(record));
  });

  router.get(`${base}/Calls/:sid/Recordings.json`, (req, res) => {
    if (!ctx.state.call(String(req.params.sid))) return notFound(req, res);
    res.json(page('recordings', recordings.forCall(String(req.params.sid)).filter((r) => !r.deletedAt).map(recordingJson), req));
  });

  router.get(`${base}/Recordings/:sid.json`, (req, res) => {
    const r = recordings.get(String(req.params.sid));
    if (!r || r.deletedAt) return notFound(req, res);
    res.json(recordingJson(r));
  });

  // The media: WAV only (MP3 is not simulated). Served with the account's credentials, as with HTTP auth on media.
  router.get(`${base}/Recordings/:sid.wav`, (req, res) => {
    const r = recordings.get(String(req.params.sid));
    if (!r || r.deletedAt || r.status !== 'completed') return notFound(req, res);
    res.type('audio/x-wav').send(recordings.wav(r));
  });

  router.delete(`${base}/Recordings/:sid.json`, (req, res) => {
    const fault = faulted(req, res);
    if (fault === true) return;
    if (!recordings.remove(String(req.params.sid))) return notFound(req, res);
    if (fault === 'hold') return;
    res.status(204).end();
  });

  // Conferences and their participants (the stop-payment three-way call).
  const conferenceOr404 = (req: Request, res: Response) => {
    const c = ctx.state.conferences.find((x) => x.sid === String(req.params.sid));
    if (!c) notFound(req, res);
    return c;
  };

  router.get(`${base}/Conferences.json`, (req, res) => {
    const { FriendlyName, Status } = req.query as Record<string, string | undefined>;
    const list = ctx.state.conferences.filter((c) => (!FriendlyName || c.friendlyName === FriendlyName) && (!Status || c.status === Status)).reverse();
    res.json(page('conferences', list.map(conferenceJson), req));
  });

  router.get(`${base}/Conferences/:sid.json`, (req, res) => {
    const c = conferenceOr404(req, res);
    if (c) res.json(conferenceJson(c));
  });

  router.post(`${base}/Conferences/:sid.json`, async (req, res) => {
    const c = conferenceOr404(req, res);
    if (!c) return;
    const b = (req.body ?? {}) as Body;
    if (first(b.Status) === 'completed') await conferences.end(c, 'conference-ended-via-api', null);
    res.json(conferenceJson(c));
  });

  router.post(`${base}/Conferences/:sid/Participants.json`, (req, res) => {
    const fault = faulted(req, res);
    if (fault === true) return;
    const b = (req.body ?? {}) as Body;
    const { conference, participant } = conferences.addParticipant(String(req.params.sid), {
      From: first(b.From),
      To: first(b.To),
      Label: first(b.Label),
      StatusCallback: first(b.StatusCallback),
      StatusCallbackEvent: b.StatusCallbackEvent,
      StatusCallbackMethod: first(b.StatusCallbackMethod),
      Timeout: first(b.Timeout),
      Muted: first(b.Muted),
      StartConferenceOnEnter: first(b.StartConferenceOnEnter),
      EndConferenceOnExit: first(b.EndConferenceOnExit),
      ConferenceStatusCallback: first(b.ConferenceStatusCallback),
      ConferenceStatusCallbackEvent: b.ConferenceStatusCallbackEvent,
      ConferenceStatusCallbackMethod: first(b.ConferenceStatusCallbackMethod),
    });
    if (fault === 'hold') return;
    res.status(201).json(participantJson(conference, participant));
  });

  router.get(`${base}/Conferences/:sid/Participants.json`, (req, res) => {
    const c = conferenceOr404(req, res);
    if (!c) return;
    // As on Twilio: only participants connecting to or in the room, none who left.
    res.json(page('participants', c.participants.filter((p) => p.status !== 'complete' && p.status !== 'failed').map((p) => participantJson(c, p)), req));
  });

  router.get(`${base}/Conferences/:sid/Participants/:callSid.json`, (req, res) => {
    const c = conferenceOr404(req, res);
    if (!c) return;
    const p = c.participants.find((x) => x.callSid === String(req.params.callSid) && x.status !== 'complete' && x.status !== 'failed');
    if (!p) return notFound(req, res);
    res.json(participantJson(c, p));
  });

  router.post(`${base}/Conferences/:sid/Participants/:callSid.json`, async (req, res) => {
    const c = conferenceOr404(req, res);
    if (!c) return;
    const b = (req.body ?? {}) as Body;
    res.json(participantJson(c, await conferences.updateParticipant(c, String(req.params.callSid), { Muted: first(b.Muted), Hold: first(b.Hold) })));
  });

  router.delete(`${base}/Conferences/:sid/Participants/:callSid.json`, (req, res) => {
    const c = conferenceOr404(req, res);
    if (!c) return;
    conferences.kick(c, String(req.params.callSid));
    res.status(204).end();
  });

  router.use('/2010-04-01', (req: Request, res: Response) => notFound(req, res));

  router.use('/2010-04-01', (err: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (err instanceof TwilioRefusal) {
      res.status(err.body.status).json(err.body);
      return;
    }
    next(err);
  });
  return router;
}

function notFound(req: Request, res: Response): void {
  res.status(404).json(twilioError(404, 20404, `The requested resource ${req.originalUrl.split('?')[0]} was not found`));
}

function page(key: string, items: unknown[], req: Request): Record<string, unknown> {
  const uri = req.originalUrl;
  return {
    [key]: items.slice(0, 50),
    end: Math.max(Math.min(items.length, 50) - 1, 0),
    first_page_uri: uri,
    next_page_uri: null,
    page: 0,
    page_size: 50,
    previous_page_uri: null,
    start: 0,
    uri,
  };
}
