// Fault injection: make the fake APIs fail the next N requests the way the providers fail.
import type { Response } from 'express';
import type { NetworkState } from './state';
import { twilioError } from './twilio-format';
import type { FaultKind, FaultSpec } from './types';

export function addFault(state: NetworkState, spec: FaultSpec): void {
  state.faults.push({ target: spec.target, kind: spec.kind, count: spec.count ?? 1, pathContains: spec.pathContains ?? '' });
  state.changed('behaviour', [], 'faults');
}

/** Take one fault for this request, if any is armed: first the addressed number's, then the global ones. */
export function takeFault(state: NetworkState, target: FaultSpec['target'], path: string, to: string | null): FaultKind | null {
  if (to) {
    const b = state.behaviours.get(to);
    if (b?.apiFault && b.apiFault.count > 0) {
      const kind = b.apiFault.kind;
      const left = b.apiFault.count - 1;
      state.behaviours.set(to, { ...b, apiFault: left > 0 ? { kind, count: left } : undefined });
      return kind;
    }
  }
  const i = state.faults.findIndex((f) => f.target === target && path.includes(f.pathContains));
  if (i < 0) return null;
  const f = state.faults[i];
  f.count -= 1;
  if (f.count <= 0) state.faults.splice(i, 1);
  return f.kind;
}

/** Answer with the fault as the provider would; 'timeout' answers nothing at all. */
export function sendFault(res: Response, target: FaultSpec['target'], kind: FaultKind): void {
  if (kind === 'timeout' || kind === 'accepted-timeout') return; // held until the client gives up or the network closes
  if (kind === 'accepted-500') kind = 500;
  if (kind === 'accepted-502' || kind === 502 || kind === 504) {
    // A load balancer's page, not the provider's JSON: the client cannot tell whether anything was done.
    const text = kind === 504 ? '504 Gateway Time-out' : '502 Bad Gateway';
    res.status(kind === 504 ? 504 : 502).type('text/html').send(`<html><head><title>${text}</title></head><body><center><h1>${text}</h1></center></body></html>`);
    return;
  }
  if (target === 'twilio') {
    const text = { 429: 'Too Many Requests', 500: 'Internal Server Error', 503: 'Service Unavailable' }[kind];
    res.status(kind).json(twilioError(kind, 20000 + kind, text));
    return;
  }
  if (kind === 429) {
    res.status(429).json({ ok: false, error_code: 429, description: 'Too Many Requests: retry after 1', parameters: { retry_after: 1 } });
    return;
  }
  res.status(kind).json({ ok: false, error_code: kind, description: kind === 500 ? 'Internal Server Error' : 'Service Unavailable' });
}
