// Search and filters for the desk's lists (the live queue and the resolved cases). A filter is data: a
// query parameter, the column it narrows, and the values it accepts. Organisation units (issue 15) are one
// more entry here, with their values and labels read from the database.
import { z } from 'zod';
import { sql, type ExpressionBuilder, type Expression, type Kysely, type SqlBool } from 'kysely';
import type { Database, HandoffRow } from '../store/schema';
import { HANDOFF_REASONS, RISK_LEVELS, SCAM_TYPES } from '../../flows/engine/vocabulary';
import type { Viewer } from './visibility';
import { isSupervisor } from './visibility';

type Row = ExpressionBuilder<Database & { h: Database['handoffs']; c: Database['cases'] }, 'h' | 'c'>;

export interface DeskFilter {
  /** query parameter, and the key of its facet in the list's answer */
  param: string;
  /** column the filter narrows (h = handoffs, c = cases) */
  column: 'h.reason' | 'c.risk_level' | 'c.scam_type';
  /** accepted values; labels come from the consoles' vocabulary of the same name */
  values: readonly string[];
}

export const DESK_FILTERS: readonly DeskFilter[] = [
  { param: 'reason', column: 'h.reason', values: HANDOFF_REASONS },
  { param: 'risk', column: 'c.risk_level', values: RISK_LEVELS },
  { param: 'scamType', column: 'c.scam_type', values: SCAM_TYPES },
];

const filterShape = Object.fromEntries(
  DESK_FILTERS.map((f) => [f.param, z.enum(f.values as [string, ...string[]], { message: `must be one of ${f.values.join(', ')}` }).optional()]),
) as Record<string, z.ZodOptional<z.ZodEnum<Record<string, string>>>>;

export const deskListQuery = z.object({
  q: z.string().trim().max(64, 'at most 64 characters').optional(),
  ...filterShape,
  /** resolved list: cursor (the resolvedAt of the last row seen), newest first */
  before: z.iso.datetime({ message: 'must be an ISO 8601 time' }).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type DeskListQuery = z.infer<typeof deskListQuery>;

/** The masked phone as desk officers see it (server/log.ts maskPhone), computed in SQL on both engines. */
const maskedPhone = sql<string>`substr(c.phone, 1, case when length(c.phone) - 8 > 3 then length(c.phone) - 8 else 3 end) || '****' || substr(c.phone, length(c.phone) - 3)`;

const likeEscape = (s: string) => s.replace(/[\\%_]/g, (m) => `\\${m}`);

/**
 * Where-clauses for a list: each filter given, and the search text matched against the case ref, the
 * citizen's name, and the phone. Desk officers match the phone only as they see it (masked), so a search
 * never tells them a hidden digit; supervisors, who see numbers in full, match the whole number.
 */
export function deskWhere(eb: Row, q: DeskListQuery, viewer: Viewer): Expression<SqlBool> {
  const parts: Expression<SqlBool>[] = [];
  for (const f of DESK_FILTERS) {
    const v = (q as Record<string, unknown>)[f.param];
    if (typeof v === 'string') parts.push(eb(f.column, '=', v));
  }
  const text = q.q?.trim();
  if (text) {
    const like = `%${likeEscape(text)}%`;
    const phoneText = text.replace(/[\s()-]/g, '');
    const ors: Expression<SqlBool>[] = [
      sql<SqlBool>`upper(c.case_ref) like upper(${like}) escape '\\'`,
      sql<SqlBool>`lower(coalesce(c.name, '')) like lower(${like}) escape '\\'`,
    ];
    if (/^\+?[\d*]{3,}$/.test(phoneText)) {
      const phoneLike = `%${likeEscape(phoneText)}%`;
      ors.push(sql<SqlBool>`${maskedPhone} like ${phoneLike} escape '\\'`);
      if (viewer.kind === 'api_key' || isSupervisor(viewer)) ors.push(sql<SqlBool>`c.phone like ${phoneLike} escape '\\'`);
    }
    parts.push(eb.or(ors));
  }
  return parts.length ? eb.and(parts) : sql<SqlBool>`1 = 1`;
}

export type DeskList = 'active' | 'resolved';

export interface DeskListRow {
  handoff: HandoffRow;
  case_ref: string;
  name: string | null;
  phone: string;
  scam_type: string;
  risk_level: string;
  warning_count: number;
  locale: string;
  case_status: string;
}

/** A desk list, filtered: the active queue (most urgent first) or resolved handoffs (newest first, paged). */
export async function searchDeskList(db: Kysely<Database>, list: DeskList, q: DeskListQuery, viewer: Viewer): Promise<DeskListRow[]> {
  let query = db
    .selectFrom('handoffs as h')
    .innerJoin('cases as c', 'c.id', 'h.case_id')
    .selectAll('h')
    .select(['c.case_ref', 'c.name', 'c.phone', 'c.scam_type', 'c.risk_level', 'c.warning_count', 'c.locale', 'c.status as case_status'])
    .where((eb) => deskWhere(eb as unknown as Row, q, viewer));
  if (list === 'active') {
    query = query.where('h.status', '<>', 'resolved').orderBy('h.priority', 'desc').orderBy('h.created_at', 'asc').limit(500);
  } else {
    query = query.where('h.status', '=', 'resolved');
    if (q.before) query = query.where('h.resolved_at', '<', new Date(q.before).toISOString());
    query = query.orderBy('h.resolved_at', 'desc').orderBy('h.id').limit(q.limit);
  }
  const rows = await query.execute();
  return rows.map(({ case_ref, name, phone, scam_type, risk_level, warning_count, locale, case_status, ...handoff }) => ({
    handoff: handoff as DeskListRow['handoff'],
    case_ref,
    name,
    phone,
    scam_type,
    risk_level,
    warning_count,
    locale,
    case_status,
  }));
}

/** How many of a list's handoffs hold each value of each filter (before any filter is applied). */
export async function deskFacets(db: Kysely<Database>, list: DeskList): Promise<Record<string, { value: string; count: number }[]>> {
  const facets: Record<string, { value: string; count: number }[]> = {};
  for (const f of DESK_FILTERS) {
    const col = sql.ref(f.column);
    let query = db
      .selectFrom('handoffs as h')
      .innerJoin('cases as c', 'c.id', 'h.case_id')
      .select([col.as('value'), (eb) => eb.fn.countAll<number>().as('count')])
      .groupBy(col);
    query = list === 'active' ? query.where('h.status', '<>', 'resolved') : query.where('h.status', '=', 'resolved');
    const rows = (await query.execute()) as { value: string; count: number | string }[];
    const counts = new Map(rows.map((r) => [r.value, Number(r.count)]));
    facets[f.param] = [...f.values.map((value) => ({ value, count: counts.get(value) ?? 0 })), ...rows.filter((r) => !f.values.includes(r.value)).map((r) => ({ value: r.value, count: Number(r.count) }))];
  }
  return facets;
}
