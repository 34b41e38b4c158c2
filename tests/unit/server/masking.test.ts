// One masking policy for every exit: free text (transcripts, provider errors), nested objects, log records.
import { Writable } from 'node:stream';
import { maskDeep, maskPhonesIn } from '../../../server/masking';
import { createLogger } from '../../../server/log';

/** How people and providers write phone numbers, and what is left of each once masked. */
const PHONES: [string, string][] = [
  ['13912345678', '139****5678'],
  ['139 1234 5678', '139****5678'],
  ['139-1234-5678', '139****5678'],
  ['139.1234.5678', '139****5678'],
  ['(139)1234-5678', '139****5678'],
  ['１３９１２３４５６７８', '139****5678'],
  ['１３９－１２３４－５６７８', '139****5678'],
  ['（１３９）１２３４　５６７８', '139****5678'],
  ['+86 139 1234 5678', '+86139****5678'],
  ['+86-139-1234-5678', '+86139****5678'],
  ['+86 (139) 1234-5678', '+86139****5678'],
  ['＋８６ １３９ １２３４ ５６７８', '+86139****5678'],
  ['0086-139-1234-5678', '+86139****5678'],
  ['0086 13912345678', '+86139****5678'],
  ['8613912345678', '+86139****5678'],
  ['%2B8613912345678', '+86139****5678'],
  ['010-6234-5678', '010****5678'],
  ['0755 8765 4321', '0755****4321'],
  ['+86 10 6234 5678', '+8610****5678'],
  ['+1 (202) 555-0100', '+120****0100'],
  ['+1-202-555-0100', '+120****0100'],
  ['001 202 555 0100', '+120****0100'],
  ['(202) 555-0100', '202****0100'],
  ['+44 20 7946 0958', '+4420****0958'],
  ['+852 9123 4567', '+852****4567'],
  ['+61 4 1234 5678', '+614****5678'],
];

/** Figures in the same texts that are not phone numbers and must stay readable. */
const NOT_PHONES = [
  'QZ7K4M2P',
  'QZ234567',
  'Q Z 2 3 4 5 6 7',
  '30000',
  '30,000元',
  '¥1,200,000',
  '1200000.50',
  '$12,345.67',
  '3万',
  '2026-09-08',
  '2026/09/08',
  '2026.09.08',
  '2026年9月8日',
  '2026-09-08 10:30',
  '2026-11-01T10:20:30.123Z',
  '20260908',
  '10:30:00',
  '550e8400-e29b-41d4-a716-446655440000',
  // A random id whose first groups are all digits (a desk API test once saw its case id masked).
  '40984626-8840-4e82-a49d-e013ccd63a95',
  '13800138-0013-4382-a49d-e013ccd63a95',
  'CA0123456789abcdef0123456789abcdef',
  '回复 1：没有转过钱',
  '96110',
  '110',
];

describe('phone numbers in free text', () => {
  it.each(PHONES)('masks %s', (written, masked) => {
    expect(maskPhonesIn(`号码 ${written} 已停机`)).toBe(`号码 ${masked} 已停机`);
    expect(maskPhonesIn(written)).toBe(masked);
  });

  it.each(NOT_PHONES)('leaves %s alone', (text) => {
    expect(maskPhonesIn(`on ${text} then`)).toBe(`on ${text} then`);
  });

  it('masks numbers written against Chinese text and punctuation, and two numbers side by side', () => {
    expect(maskPhonesIn('电话13912345678请回电')).toBe('电话139****5678请回电');
    expect(maskPhonesIn('打给139 1234 5678，或者138 8765 4321。')).toBe('打给139****5678，或者138****4321。');
    expect(maskPhonesIn('13912345678 13887654321')).toBe('139****5678 138****4321');
    expect(maskPhonesIn("Twilio: The 'To' number +8613912345678 is not a valid phone number.")).toBe("Twilio: The 'To' number +86139****5678 is not a valid phone number.");
  });

  it('masks card and account numbers too, keeping the bank prefix and the last four', () => {
    expect(maskPhonesIn('转到安全账户 6222020200112233445')).toBe('转到安全账户 6222****3445');
    expect(maskPhonesIn('卡号 6222 0212 3456 7890，户名张三')).toBe('卡号 6222****7890，户名张三');
    expect(maskPhonesIn('４５３９１４８８０３４３６４６７')).toBe('4539****6467');
  });

  it('keeps amounts, dates and case refs next to a number it masks', () => {
    expect(maskPhonesIn('2026-09-08 10:30 转了30,000元给 139.1234.5678，案件 QZ7K4M2P')).toBe('2026-09-08 10:30 转了30,000元给 139****5678，案件 QZ7K4M2P');
  });
});

describe('nested objects', () => {
  it('masks every string at any depth, phone fields and errors included, without touching the input', () => {
    const err = Object.assign(new Error('call to +86 139 1234 5678 failed'), { code: 21211 });
    const input = { to: '+8613912345678', detail: { note: 'relative 139-1234-5678', list: ['0086 13912345678', 42, null] }, err };
    const out = maskDeep(input) as any;
    expect(out.to).toBe('+86139****5678');
    expect(out.detail).toEqual({ note: 'relative 139****5678', list: ['+86139****5678', 42, null] });
    expect(out.err).toMatchObject({ type: 'Error', message: 'call to +86139****5678 failed', code: 21211 });
    expect(out.err.stack).toContain('call to +86139****5678 failed');
    expect(input.detail.note).toBe('relative 139-1234-5678');
    expect(JSON.stringify(out)).not.toMatch(/1234.?5678/);
  });

  it('survives cycles', () => {
    const a: any = { phone: '13912345678' };
    a.self = a;
    expect(maskDeep(a)).toEqual({ phone: '139****5678', self: '[circular]' });
  });
});

describe('log records', () => {
  const capture = () => {
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk, _enc, cb) => (lines.push(String(chunk)), cb()) });
    return { log: createLogger('info', sink), text: () => lines.join('') };
  };

  it('masks numbers in errors, nested objects, child bindings and messages taken from an error', () => {
    const { log, text } = capture();
    const err = new Error('Twilio 21211: invalid To +8613912345678');
    log.error({ err, job: { data: { phone: '+8613912345678', relatives: [{ phone: '139 1234 5678' }] } } }, 'job failed');
    log.error(new Error('PostgreSQL: duplicate key (phone)=(+8613912345678)'));
    log.child({ to: '+86 139 1234 5678' }).warn('bridge %s', '0086-139-1234-5678');
    const out = text();
    expect(out.split('\n').filter(Boolean)).toHaveLength(3);
    expect(out).not.toMatch(/1234.?5678/);
    expect(out).toContain('invalid To +86139****5678');
    expect(out).toContain('(phone)=(+86139****5678)');
  });

  it('redacts secrets that reach a record', () => {
    const { log, text } = capture();
    log.info({ headers: { authorization: 'Bearer intake-key-123', cookie: 'qz_session=abc' }, password: 'hunter2', twilio: { authToken: 'tok-123' } }, 'x');
    const line = JSON.parse(text());
    expect(line.headers).toEqual({ authorization: '[redacted]', cookie: '[redacted]' });
    expect(line.password).toBe('[redacted]');
    expect(line.twilio.authToken).toBe('[redacted]');
  });
});
