// Quiet hours are the centre's local night; the window's end is when held contacts go out.
import { quietWindowEnd } from '../../../flows/engine';

const NIGHT = { start: '21:00', end: '08:00' };
const CHINA = 480;

describe('quietWindowEnd', () => {
  it('gives the end of the window for a moment inside it, in the centre local time', () => {
    expect(quietWindowEnd(NIGHT, new Date('2026-11-10T14:30:00Z'), CHINA)).toBe('2026-11-11T00:00:00.000Z'); // 22:30 → 08:00
    expect(quietWindowEnd(NIGHT, new Date('2026-11-10T16:05:00Z'), CHINA)).toBe('2026-11-11T00:00:00.000Z'); // 00:05
  });

  it('is open outside the window, and the window includes its start but not its end', () => {
    expect(quietWindowEnd(NIGHT, new Date('2026-11-10T02:00:00Z'), CHINA)).toBeUndefined(); // 10:00
    expect(quietWindowEnd(NIGHT, new Date('2026-11-10T00:00:00Z'), CHINA)).toBeUndefined(); // 08:00
    expect(quietWindowEnd(NIGHT, new Date('2026-11-10T12:59:00Z'), CHINA)).toBeUndefined(); // 20:59
    expect(quietWindowEnd(NIGHT, new Date('2026-11-10T13:00:00Z'), CHINA)).toBe('2026-11-11T00:00:00.000Z'); // 21:00
  });

  it('handles a window within one day and another offset', () => {
    const lunch = { start: '12:00', end: '14:00' };
    expect(quietWindowEnd(lunch, new Date('2026-11-10T05:00:00Z'), CHINA)).toBe('2026-11-10T06:00:00.000Z'); // 13:00 → 14:00
    expect(quietWindowEnd(lunch, new Date('2026-11-10T07:00:00Z'), CHINA)).toBeUndefined(); // 15:00
    expect(quietWindowEnd(NIGHT, new Date('2026-11-10T22:00:00Z'), 0)).toBe('2026-11-11T08:00:00.000Z');
  });

  it('ends on the minute whatever the seconds of the moment asked about', () => {
    expect(quietWindowEnd(NIGHT, new Date('2026-11-10T14:30:27.456Z'), CHINA)).toBe('2026-11-11T00:00:00.000Z');
  });

  it('never holds anything without a window', () => {
    expect(quietWindowEnd(undefined, new Date('2026-11-10T16:05:00Z'), CHINA)).toBeUndefined();
  });
});
