// Twilio callbacks are verified before anything else reads them: a forged one gets 403 and changes nothing.
import type { RequestHandler } from 'express';
import twilio from 'twilio';
import { WebhookSignatureError } from '../errors';

/**
 * The URL Twilio signed is the public one it called (PUBLIC_URL + path and query), not the one express
 * sees behind a proxy.
 */
export function verifyTwilioSignature(authToken: string, publicBase: () => string): RequestHandler {
  return (req, _res, next) => {
    const signature = req.header('x-twilio-signature');
    if (!signature) return next(new WebhookSignatureError('missing X-Twilio-Signature header'));
    const url = publicBase() + req.originalUrl;
    const params = (req.body && typeof req.body === 'object' ? req.body : {}) as Record<string, string>;
    if (!twilio.validateRequest(authToken, signature, url, params)) return next(new WebhookSignatureError('X-Twilio-Signature does not match this request'));
    next();
  };
}
