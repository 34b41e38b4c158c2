// One logger; phone numbers never reach the log in full.
import pino, { type Logger } from 'pino';

/** +8613800138000 → +86138****8000 */
export function maskPhone(phone: string | null | undefined): string {
  if (!phone) return '';
  const digits = phone.replace(/[^\d+]/g, '');
  if (digits.length <= 6) return '****';
  return `${digits.slice(0, digits.length - 8 > 3 ? digits.length - 8 : 3)}****${digits.slice(-4)}`;
}

const PHONE_PATTERN = /\+?\d[\d -]{8,16}\d/g;
/** Masks anything that looks like a phone number inside free text. */
export function maskPhonesIn(text: string): string {
  return text.replace(PHONE_PATTERN, (m) => maskPhone(m));
}

export function createLogger(level = process.env.LOG_LEVEL ?? 'info', destination?: pino.DestinationStream): Logger {
  return pino(
    {
    level,
    base: { app: 'quanzu' },
    formatters: {
      log(object) {
        for (const key of ['phone', 'to', 'from', 'To', 'From']) {
          const value = (object as Record<string, unknown>)[key];
          if (typeof value === 'string') (object as Record<string, unknown>)[key] = maskPhone(value);
        }
        return object;
      },
    },
    hooks: {
      logMethod(args, method) {
        const masked = args.map((a) => (typeof a === 'string' ? maskPhonesIn(a) : a)) as typeof args;
        method.apply(this, masked);
      },
    },
    },
    destination,
  );
}
