// The demo's terminal: the app's JSON log lines (pino) as short readable lines, "12:04:05 WARN  message  key=value".
const LEVELS: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO ', 40: 'WARN ', 50: 'ERROR', 60: 'FATAL' };
const COLOURS: Record<number, string> = { 40: '\x1b[33m', 50: '\x1b[31m', 60: '\x1b[31m' };
/** Fields every line carries, or that say nothing to a person watching the demo. */
const QUIET = new Set(['level', 'time', 'msg', 'pid', 'hostname', 'app', 'v']);

function show(v: unknown): string {
  if (typeof v === 'string') return /[\s"=]/.test(v) ? JSON.stringify(v) : v;
  if (v && typeof v === 'object' && 'message' in v && typeof (v as { message: unknown }).message === 'string') return JSON.stringify((v as { message: string }).message);
  return JSON.stringify(v);
}

/** One log line made readable; a line that is not pino JSON is returned as it is. */
export function prettyLine(line: string, opts: { colour?: boolean } = {}): string {
  let o: Record<string, unknown>;
  try {
    o = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line;
  }
  if (!o || typeof o !== 'object' || typeof o.level !== 'number') return line;
  const time = typeof o.time === 'number' ? new Date(o.time).toTimeString().slice(0, 8) : '';
  const level = LEVELS[o.level] ?? String(o.level);
  const fields = Object.entries(o)
    .filter(([k]) => !QUIET.has(k))
    .map(([k, v]) => `${k}=${show(v)}`)
    .join(' ');
  const text = `${time} ${level} ${o.msg ?? ''}${fields ? '  ' + fields : ''}`;
  const colour = opts.colour ? COLOURS[o.level] : undefined;
  return colour ? `${colour}${text}\x1b[0m` : text;
}
