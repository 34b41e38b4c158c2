import { Writable } from 'node:stream';
import { createLogger, maskPhone, maskPhonesIn } from '../../../server/log';

describe('phone masking in logs', () => {
  it('keeps the country prefix and last four digits only', () => {
    expect(maskPhone('+8613800138000')).toBe('+86138****8000');
    expect(maskPhone('+14155550123')).toBe('+141****0123');
  });
  it('masks numbers inside free text', () => {
    expect(maskPhonesIn('call from +8613800138000 about case X')).toBe('call from +86138****8000 about case X');
  });
  it('masks phone fields and phone numbers in messages of log records', () => {
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk, _enc, cb) => (lines.push(String(chunk)), cb()) });
    const log = createLogger('info', sink);
    log.info({ phone: '+8613800138000', to: '+14155550123' }, 'sent to +8613900139000');
    const out = lines.join('');
    expect(JSON.parse(out)).toMatchObject({ phone: '+86138****8000', to: '+141****0123', msg: 'sent to +86139****9000' });
  });
});
