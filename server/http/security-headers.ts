// Security headers on every answer (helmet): a CSP that allows scripts, styles and connections only from
// this origin (no inline script, so no injected markup can run), no framing, no MIME sniffing, no referrer.
import helmet from 'helmet';
import type { RequestHandler } from 'express';

export function securityHeaders(opts: { https: boolean }): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        'default-src': ["'self'"],
        'script-src': ["'self'"],
        // CodeMirror adds its theme as constructed style sheets, which the CSP does not govern; nothing inline.
        'style-src': ["'self'"],
        'img-src': ["'self'", 'data:'],
        'font-src': ["'self'"],
        'connect-src': ["'self'"],
        'object-src': ["'none'"],
        'base-uri': ["'self'"],
        'form-action': ["'self'"],
        'frame-ancestors': ["'none'"],
        // Only behind TLS: on plain http it would send every request to an https port that is not there.
        ...(opts.https ? { 'upgrade-insecure-requests': [] } : {}),
      },
    },
    referrerPolicy: { policy: 'no-referrer' },
    strictTransportSecurity: opts.https ? { maxAge: 15_552_000, includeSubDomains: false } : false,
    xFrameOptions: { action: 'deny' },
  });
}
