// Twilio callbacks forged as Twilio would sign them: a late or second status for an attempt, replayed
// from the phone network's log with some fields changed.
import twilio from 'twilio';
import type { CallbackLogEntry } from '../../tools/phone-network/types';

/** Posts form parameters to the app, signed with the account's auth token for the URL as called. */
export function postSignedTwilio(appUrl: string, authToken: string, pathAndQuery: string, params: Record<string, string>): Promise<Response> {
  return fetch(appUrl + pathAndQuery, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': twilio.getExpectedTwilioSignature(authToken, appUrl + pathAndQuery, params) },
    body: new URLSearchParams(params).toString(),
  });
}

/** Sends a logged callback again to its own URL with some parameters changed (e.g. another status). */
export function resendWith(appUrl: string, authToken: string, cb: CallbackLogEntry, changes: Record<string, string>): Promise<Response> {
  const url = new URL(cb.url);
  return postSignedTwilio(appUrl, authToken, url.pathname + url.search, { ...(cb.params as Record<string, string>), ...changes });
}
