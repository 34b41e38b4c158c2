// Who may see a citizen's phone number. Desk officers see it masked until they open a case they have
// claimed; supervisors (manager, admin) and systems (API keys) see it in full. Every read is audited.
import type { Request } from 'express';
import type { HandoffRow } from '../store/schema';
import { maskDeep, maskPhone, maskNumbersIn } from '../masking';

export interface Viewer {
  id: string;
  role: string;
  kind: 'api_key' | 'user';
}

export function viewerOf(req: Request): Viewer {
  const p = req.principal!;
  return { id: p.id, role: p.role, kind: p.kind };
}

export const isSupervisor = (v: Viewer): boolean => v.role === 'manager' || v.role === 'admin';

/** The active handoff is claimed by this viewer. */
export const holdsClaim = (v: Viewer, handoff: Pick<HandoffRow, 'status' | 'claimed_by'> | undefined): boolean =>
  !!handoff && handoff.status === 'claimed' && handoff.claimed_by === v.id;

/** Whether phone numbers of a case are shown in full to this viewer. */
export function seesPhones(v: Viewer, activeHandoff: Pick<HandoffRow, 'status' | 'claimed_by'> | undefined): boolean {
  if (v.kind === 'api_key') return true;
  if (isSupervisor(v)) return true;
  return holdsClaim(v, activeHandoff);
}

/**
 * A masker for one response: identity when the viewer sees phones, masking otherwise. `deep` is the last
 * step of every presenter for a viewer who does not see phones: whatever field a number hides in
 * (a provider's error text, an audit detail, a note), it leaves masked.
 */
export function phoneMasker(visible: boolean) {
  return {
    phone: (p: string | null | undefined) => (p == null ? p ?? null : visible ? p : maskPhone(p)),
    text: (t: string) => (visible ? t : maskNumbersIn(t)),
    deep: <T>(v: T): T => (visible ? v : (maskDeep(v) as T)),
  };
}
