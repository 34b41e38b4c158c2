// People in units: the five roles of the organisation, the console access each one gets, and which units'
// cases a person sees and supervises. A person with no unit belongs to the whole centre (the city).
import type { UserRole } from '../store/repositories/users';
import type { UnitDirectory } from './directory';

export const UNIT_ROLES = ['desk_officer', 'supervisor', 'station_officer', 'manager', 'admin'] as const;
export type UnitRole = (typeof UNIT_ROLES)[number];

/** The console access a unit role gives: desk officers and supervisors use the desk, station officers the station page. */
export const ACCESS_ROLE: Record<UnitRole, UserRole> = {
  desk_officer: 'desk',
  supervisor: 'desk',
  station_officer: 'station',
  manager: 'manager',
  admin: 'admin',
};

/** People stored before units existed have only an access role. */
export function unitRoleOf(p: { role: string; unitRole?: UnitRole | null }): UnitRole {
  if (p.unitRole) return p.unitRole;
  switch (p.role) {
    case 'station':
      return 'station_officer';
    case 'manager':
      return 'manager';
    case 'admin':
      return 'admin';
    default:
      return 'desk_officer';
  }
}

/** Who is looking, as far as the organisation is concerned. API keys act for the whole centre. */
export interface OrgViewer {
  id: string;
  role: string;
  kind: 'api_key' | 'user';
  unitId?: string | null;
  unitRole?: UnitRole | null;
}

/** The unit whose subtree the viewer works in (the city for API keys, managers, admins and people without a unit). */
export function homeUnitId(dir: UnitDirectory, v: OrgViewer): string {
  if (v.kind === 'api_key') return dir.root.id;
  const role = unitRoleOf(v);
  if (role === 'manager' || role === 'admin') return dir.root.id;
  const unit = dir.byId(v.unitId);
  return unit ? unit.id : dir.root.id;
}

/** The units whose cases the viewer sees. */
export const visibleUnits = (dir: UnitDirectory, v: OrgViewer): Set<string> => dir.subtree(homeUnitId(dir, v));

/** Whether the viewer sees a case in this unit (a case without a unit belongs to the city). */
export const seesUnit = (dir: UnitDirectory, v: OrgViewer, unitId: string | null | undefined): boolean => dir.contains(homeUnitId(dir, v), unitId);

export function supervisesAnything(v: OrgViewer): boolean {
  if (v.kind === 'api_key') return v.role === 'manager' || v.role === 'admin';
  const role = unitRoleOf(v);
  return role === 'supervisor' || role === 'manager' || role === 'admin';
}

/** A supervisor, manager or admin over this unit. */
export const supervisesUnit = (dir: UnitDirectory, v: OrgViewer, unitId: string | null | undefined): boolean => supervisesAnything(v) && seesUnit(dir, v, unitId);

/** Supervises the whole centre: may move cases between units. */
export const supervisesCity = (dir: UnitDirectory, v: OrgViewer): boolean => supervisesAnything(v) && homeUnitId(dir, v) === dir.root.id;

/** The queue filter for a viewer: their units, and (for the whole centre) cases stored before units existed. */
export function queueScope(dir: UnitDirectory, v: OrgViewer): { units: string[]; includeUnitless: boolean } {
  const home = homeUnitId(dir, v);
  return { units: [...dir.subtree(home)], includeUnitless: home === dir.root.id };
}

/** What the desk shows of where a case sits: its unit, and whether routing could not place it. */
export function presentPlacement(dir: UnitDirectory, c: { unit_id: string | null; routing: string | null; routing_hint: string | null }) {
  const unit = dir.byId(c.unit_id) ?? dir.root;
  return {
    unit: { code: unit.code, kind: unit.kind, name: unit.name, path: dir.pathLabel(unit.id) },
    routing: c.routing ?? 'default',
    routingHint: c.routing_hint,
    unrouted: c.routing === 'unrouted',
  };
}
