// The organisation's periodic work in the worker role: auto-assignment of waiting handoffs, and (once
// visit tasks exist) overdue visits escalated to the district supervisors.
import type { Services } from '../services';
import { startAutoAssign } from '../people/assignment';

export function startOrgChecks(s: Services): () => void {
  const stops = [startAutoAssign(s)];
  return () => stops.forEach((stop) => stop());
}
