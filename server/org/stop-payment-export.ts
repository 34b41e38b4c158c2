// The stop-payment requests as the stop-payment system (止付系统) takes them: one row per request, Chinese
// headers, times in the centre's local time with their offset, and whether the first-level window was kept.
import { csvCell } from '../people/stop-payment';
import type { presentStopPayment } from './stop-payments';

type Presented = ReturnType<typeof presentStopPayment>;

const STATUS_ZH: Record<string, string> = { requested: '已申请止付', confirmed: '银行已止付', frozen: '已冻结', refused: '银行拒绝', amount_returned: '已返还' };

/** "2026-09-08 18:20:05 +08:00" */
export function localTime(iso: string | null, offsetMinutes: number): string {
  if (!iso) return '';
  const d = new Date(Date.parse(iso) + offsetMinutes * 60_000);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const off = Math.abs(offsetMinutes);
  return `${d.toISOString().slice(0, 19).replace('T', ' ')} ${sign}${String(Math.floor(off / 60)).padStart(2, '0')}:${String(off % 60).padStart(2, '0')}`;
}

export const STOP_PAYMENT_EXPORT_COLUMNS: [string, (r: Presented, offset: number) => unknown][] = [
  ['案件编号 case_ref', (r) => r.caseRef],
  ['止付申请号 request_id', (r) => r.id],
  ['状态 status', (r) => `${STATUS_ZH[r.status] ?? r.status} (${r.status})`],
  ['首次提及转账 first_mentioned', (r, o) => localTime(r.clock.firstMentionedAt, o)],
  ['申请时间 requested_at', (r, o) => localTime(r.requestedAt, o)],
  ['距首次提及分钟 minutes_from_mention', (r) => r.clock.minutesFromMention],
  ['一级账户时限内 within_window', (r) => (r.clock.enteredWithinWindow === null ? '' : r.clock.enteredWithinWindow ? '是 yes' : '否 no')],
  ['金额 amount', (r) => r.amount],
  ['币种 currency', (r) => r.currency],
  ['支付方式 method', (r) => r.method],
  ['收款账户 account', (r) => r.account],
  ['银行 bank', (r) => (r.bank ? `${r.bank.name?.zh ?? ''} ${r.bank.code}`.trim() : '')],
  ['转账时间(自述) paid_at', (r) => r.paidAt],
  ['受害人 citizen', (r) => r.citizen ?? ''],
  ['电话 phone', (r) => r.phone ?? ''],
  ['单位 unit', (r) => r.unit],
  ['申请民警 requested_by', (r) => r.requestedBy],
  ['状态更新 status_at', (r, o) => localTime(r.statusAt, o)],
  ['银行回执号 bank_reference', (r) => r.bankReference ?? ''],
  ['返还金额 returned_amount', (r) => r.returnedAmount ?? ''],
  ['备注 note', (r) => r.note ?? ''],
];

export function stopPaymentRequestsCsv(rows: Presented[], offsetMinutes: number): string {
  const header = STOP_PAYMENT_EXPORT_COLUMNS.map(([h]) => csvCell(h)).join(',');
  return [header, ...rows.map((r) => STOP_PAYMENT_EXPORT_COLUMNS.map(([, f]) => csvCell(f(r, offsetMinutes))).join(','))].join('\r\n') + '\r\n';
}
