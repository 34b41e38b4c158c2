// The demo prints the app's log lines readably, keeping what they say.
import { prettyLine } from '../../../tools/demo/pretty-log';

describe('the demo\u2019s log lines', () => {
  it('turn pino JSON into time, level, message and fields', () => {
    const time = Date.UTC(2026, 10, 22, 4, 5, 6);
    const line = JSON.stringify({ level: 40, time, pid: 7, hostname: 'h', app: 'quanzu', msg: 'enqueue failed; sweeper will retry', caseId: 'c1', err: 'Connection is closed.' });
    expect(prettyLine(line)).toBe(`${new Date(time).toTimeString().slice(0, 8)} WARN  enqueue failed; sweeper will retry  caseId=c1 err="Connection is closed."`);
    expect(prettyLine(line, { colour: true })).toMatch(/^\x1b\[33m.*\x1b\[0m$/);
  });

  it('leave other lines as they are', () => {
    expect(prettyLine('Local phone network: http://127.0.0.1:4010')).toBe('Local phone network: http://127.0.0.1:4010');
    expect(prettyLine('{"not":"pino"}')).toBe('{"not":"pino"}');
  });

  it('show an error object by its message', () => {
    expect(prettyLine(JSON.stringify({ level: 50, time: 0, msg: 'unhandled error', err: { type: 'Error', message: 'boom', stack: 'Error: boom\n at x' } }))).toMatch(/ERROR unhandled error {2}err="boom"$/);
  });
});
