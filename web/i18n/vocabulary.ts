// Labels of the shared vocabulary, in every console language. The value lists come from the code
// (nlu-models/src/intents.ts, flows/engine/vocabulary.ts): the compiler refuses a missing intent, scam
// type, risk level, reason, outcome or channel, and tests/unit/web/catalogue.test.ts checks the names
// the code only knows at run time (cue rules, the shipped flows' states, timeline events).
import type { Intent } from '../../nlu-models/src/intents';
import type { ChannelName, HandoffReason, Locale, Outcome, RiskLevel, ScamType } from '../../flows/engine/vocabulary';

export const UI_LOCALES = ['zh', 'en'] as const;
export type UiLocale = (typeof UI_LOCALES)[number];
/** Chinese first: a police desk in China works in Chinese unless a person chooses otherwise. */
export const DEFAULT_UI_LOCALE: UiLocale = 'zh';
export type Label = Record<UiLocale, string>;

const intent: Record<Intent, Label> = {
  safe_aware: { zh: '已知晓，安全', en: 'Safe, aware' },
  mid_scam: { zh: '仍在被骗', en: 'Still in the scam' },
  already_paid: { zh: '已经付款', en: 'Already paid' },
  request_human: { zh: '要求民警', en: 'Wants an officer' },
  distrust: { zh: '不信任来电', en: 'Distrusts us' },
  wrong_person: { zh: '非本人', en: 'Wrong person' },
  busy_later: { zh: '正忙，稍后', en: 'Busy, later' },
  question: { zh: '提问', en: 'Question' },
  other: { zh: '其他', en: 'Other' },
};

const scamType: Record<ScamType, Label> = {
  pig_butchering: { zh: '杀猪盘', en: 'Pig butchering' },
  impersonation_police: { zh: '冒充公检法', en: 'Fake police' },
  fake_customer_service: { zh: '冒充客服', en: 'Fake customer service' },
  task_rebate: { zh: '刷单返利', en: 'Task rebate' },
  loan: { zh: '虚假网贷', en: 'Loan fee' },
  investment: { zh: '虚假投资理财', en: 'Fake investment' },
  gaming_trade: { zh: '游戏虚假交易', en: 'Game trading' },
  sextortion: { zh: '裸聊敲诈', en: 'Sextortion' },
  relative_in_trouble: { zh: '冒充亲友', en: 'Relative in trouble' },
  other: { zh: '其他诈骗', en: 'Other scam' },
};

const risk: Record<RiskLevel, Label> = {
  high: { zh: '高风险', en: 'High risk' },
  medium: { zh: '中风险', en: 'Medium risk' },
  low: { zh: '低风险', en: 'Low risk' },
};

const reason: Record<HandoffReason, Label> = {
  already_paid: { zh: '已付款', en: 'Already paid' },
  mid_scam: { zh: '仍在被骗', en: 'Still in the scam' },
  request_human: { zh: '要求民警', en: 'Asked for an officer' },
  low_confidence: { zh: '未能理解', en: 'Not understood' },
  distrust: { zh: '不信任来电', en: 'Distrusts the call' },
  unreachable: { zh: '无法联系', en: 'Unreachable' },
  review: { zh: '研判：高风险', en: 'Review: high risk' },
  opted_out: { zh: '已退订短信', en: 'Opted out (STOP)' },
  flow_error: { zh: '脚本出错', en: 'Script error' },
  other: { zh: '其他', en: 'Other' },
};

const outcome: Record<Outcome, Label> = {
  dissuaded: { zh: '劝阻成功', en: 'Dissuaded' },
  stop_payment_requested: { zh: '已付款：已申请止付', en: 'Paid: stop-payment requested' },
  visit_dispatched: { zh: '已派民警上门', en: 'In-person visit dispatched' },
  unreachable: { zh: '无法联系', en: 'Unreachable' },
  wrong_person: { zh: '非本人', en: 'Wrong person' },
  false_alarm: { zh: '误报', en: 'False alarm' },
  safe_aware: { zh: '已知晓风险', en: 'Safe and aware' },
  opted_out: { zh: '已退订', en: 'Opted out' },
  returned_to_flow: { zh: '已退回自动流程', en: 'Returned to the automated flow' },
};

const channel: Record<ChannelName, Label> = {
  voice: { zh: '语音电话', en: 'Voice call' },
  sms: { zh: '短信', en: 'SMS' },
  telegram: { zh: 'Telegram', en: 'Telegram' },
};

const language: Record<Locale, Label> = {
  zh: { zh: '中文', en: 'Chinese' },
  en: { zh: '英文', en: 'English' },
};

/** Cue rules of the classifier (nlu-models/src/cues.ts CUE_RULES). */
const cue: Record<string, Label> = {
  safe_account: { zh: '安全账户', en: 'Safe account' },
  money_lost: { zh: '说钱被骗走了', en: 'Says money was lost' },
  vouches: { zh: '为对方担保', en: 'Vouches for the other side' },
  inoculated: { zh: '被对方提前"打过预防针"', en: 'Told by them to distrust us' },
  on_the_line: { zh: '仍与对方通话中', en: 'Still on the line with them' },
  deleting_on_instruction: { zh: '按对方要求删除应用', en: 'Deleting an app on their instruction' },
  answers_paid: { zh: '简短回答已付款', en: 'Answers that they paid' },
  not_yet_soon: { zh: '还没付，马上要付', en: 'Not paid yet, paying soon' },
  in_progress: { zh: '正在付款操作中', en: 'Paying right now' },
  follows_instructions: { zh: '照对方的指示做', en: 'Doing what they said' },
  screen_sharing: { zh: '屏幕共享', en: 'Screen sharing' },
  verification_code: { zh: '验证码', en: 'Verification code' },
  release_fee: { zh: '解冻费、手续费', en: 'Release fee' },
  loan_to_pay: { zh: '贷款付款', en: 'Loan to pay' },
  told_to_keep_secret: { zh: '被要求保密', en: 'Told to keep it secret' },
  about_to_pay: { zh: '准备付款', en: 'About to pay' },
  authority_directs: { zh: '对方在指挥', en: 'Someone is directing them' },
  already_transferred: { zh: '已经转账', en: 'Already transferred' },
  money_gone: { zh: '钱已转走', en: 'Money gone' },
};

/** States of the shipped scripts (flows/*.yaml); a manager's new state shows by its id until named here. */
const flowState: Record<string, Label> = {
  check_in: { zh: '回访问候', en: 'Follow-up check-in' },
  verify_paid: { zh: '核实身份（已付款）', en: 'Verifying who we are (already paid)' },
  fine: { zh: '已确认安全', en: 'Confirmed safe' },
  paid: { zh: '已转账', en: 'Already paid' },
  greet: { zh: '开场问候', en: 'Greeting' },
  explain_tell: { zh: '讲解诈骗特征', en: 'Explaining the tell' },
  close_safe: { zh: '安全结束', en: 'Closing: safe' },
  verify: { zh: '核实身份', en: 'Verifying who we are' },
  ask_amount: { zh: '询问金额', en: 'Asking the amount' },
  ask_method: { zh: '询问付款方式', en: 'Asking how they paid' },
  ask_time: { zh: '询问付款时间', en: 'Asking when they paid' },
  paid_done: { zh: '付款信息已收集', en: 'Payment details taken' },
  stop_paying: { zh: '劝阻停止付款', en: 'Telling them to stop paying' },
  human: { zh: '转民警', en: 'Passing to an officer' },
  human_unsure: { zh: '未听懂，转民警', en: 'Not understood: to an officer' },
  human_distrust: { zh: '不信任，转民警', en: 'Distrust: to an officer' },
  human_turns: { zh: '对话过长，转民警', en: 'Too many turns: to an officer' },
  wrong_person: { zh: '非本人', en: 'Wrong person' },
  busy: { zh: '稍后再联系', en: 'Busy: later' },
  silent: { zh: '无回应', en: 'No answer' },
  voicemail: { zh: '语音信箱', en: 'Voicemail' },
  unreachable: { zh: '无法联系', en: 'Unreachable' },
  will_help: { zh: '亲属愿意协助', en: 'Relative will help' },
  relative_paid: { zh: '亲属称已付款', en: 'Relative says paid' },
  relative_mid_scam: { zh: '亲属称仍在被骗', en: 'Relative says still in the scam' },
};

/** Desk timeline events (server/people/case-view.ts TIMELINE_ACTIONS). */
const timelineEvent: Record<string, Label> = {
  triaged: { zh: '已研判分派', en: 'Triaged' },
  handoff_opened: { zh: '转人工处置', en: 'Handed to the desk' },
  handoff_raised: { zh: '转人工级别提升', en: 'Handoff raised' },
  handoff_claimed: { zh: '已认领', en: 'Claimed' },
  handoff_released: { zh: '放回队列', en: 'Released to the queue' },
  handoff_escalated: { zh: '超时未认领，已上报', en: 'Escalated: unclaimed past SLA' },
  handoff_resolved: { zh: '已办结', en: 'Resolved' },
  handoff_returned: { zh: '退回自动流程', en: 'Returned to the automated flow' },
  desk_call: { zh: '工作台发起通话', en: 'Desk call placed' },
  sms_opt_out: { zh: '市民退订短信', en: 'Citizen opted out of SMS' },
  sms_opt_in: { zh: '市民恢复接收短信', en: 'Citizen opted back in' },
  voicemail: { zh: '进入语音信箱', en: 'Voicemail reached' },
  call_not_answered: { zh: '电话未接听', en: 'Call not answered' },
  retry_scheduled: { zh: '已安排重拨', en: 'Retry scheduled' },
  next_channel: { zh: '改用下一渠道', en: 'Next channel' },
  relative_contacted: { zh: '已联系亲属', en: 'Relative contacted' },
  callback_scheduled: { zh: '已安排回电', en: 'Callback scheduled' },
  flow_ended: { zh: '流程结束', en: 'Flow ended' },
  case_closed: { zh: '案件关闭', en: 'Case closed' },
  delivery_failed: { zh: '发送失败', en: 'Delivery failed' },
  // Organisation (issue 15)
  handoff_assigned: { zh: '已指派', en: 'Assigned' },
  handoff_transferred: { zh: '已转交', en: 'Transferred' },
  handoff_taken_over: { zh: '主管已接手', en: 'Taken over by a supervisor' },
  case_moved: { zh: '已调整所属单位', en: 'Moved to another unit' },
  review_decided: { zh: '二次研判结论', en: 'Second review decided' },
  visit_requested: { zh: '请求派出所上门', en: 'Station visit requested' },
  visit_accepted: { zh: '派出所已接收任务', en: 'Visit accepted by the station' },
  visit_on_the_way: { zh: '民警已出发', en: 'Officers on the way' },
  visit_reported: { zh: '上门结果已反馈', en: 'Visit reported' },
  visit_overdue: { zh: '上门任务超时，已上报', en: 'Visit overdue: escalated' },
  relative_message: { zh: '已给亲属发消息', en: 'Message to a relative' },
  relative_call: { zh: '已致电亲属', en: 'Call to a relative' },
  stop_payment_filed: { zh: '已提交止付申请', en: 'Stop-payment filed' },
  stop_payment_status: { zh: '止付状态更新', en: 'Stop-payment status changed' },
  bank_call: { zh: '已发起银行三方通话', en: 'Three-way call with the bank' },
  bank_call_event: { zh: '三方通话进展', en: 'Three-way call progress' },
  // Issue 18
  fraud_report_matched: { zh: '报案系统：本人已被骗报案', en: 'Fraud report: the person reported a loss' },
  call_recorded: { zh: '通话已录音', en: 'Call recorded' },
  recording_deleted: { zh: '录音已按保存期限删除', en: 'Recording deleted (retention)' },
};

/** Provider statuses of a contact attempt (Twilio message and call statuses, ours for unconfirmed). */
const attemptStatus: Record<string, Label> = {
  queued: { zh: '排队中', en: 'queued' },
  sending: { zh: '发送中', en: 'sending' },
  sent: { zh: '已发送', en: 'sent' },
  delivered: { zh: '已送达', en: 'delivered' },
  undelivered: { zh: '未送达', en: 'undelivered' },
  failed: { zh: '失败', en: 'failed' },
  received: { zh: '已收到', en: 'received' },
  initiated: { zh: '已发起', en: 'initiated' },
  ringing: { zh: '振铃中', en: 'ringing' },
  'in-progress': { zh: '通话中', en: 'in progress' },
  completed: { zh: '已接通', en: 'completed' },
  busy: { zh: '占线', en: 'busy' },
  'no-answer': { zh: '无人接听', en: 'no answer' },
  canceled: { zh: '已取消', en: 'canceled' },
  unconfirmed: { zh: '待确认', en: 'unconfirmed' },
};

const paymentMethod: Record<string, Label> = {
  alipay: { zh: '支付宝', en: 'Alipay' },
  wechat_pay: { zh: '微信支付', en: 'WeChat Pay' },
  bank_transfer: { zh: '银行转账', en: 'Bank transfer' },
  card: { zh: '银行卡', en: 'Card' },
  crypto: { zh: '虚拟货币', en: 'Crypto' },
};

/** What the workers do next for a case (server/jobs/queues.ts CaseJob['action']). */
const nextAction: Record<string, Label> = {
  triage: { zh: '研判', en: 'triage' },
  retriage: { zh: '重新研判', en: 'triage again' },
  contact: { zh: '联系市民', en: 'contact' },
  confirm_attempt: { zh: '确认联系结果', en: 'confirm the attempt' },
  no_reply: { zh: '等待回复', en: 'wait for a reply' },
  contact_relative: { zh: '联系亲属', en: 'contact a relative' },
};

const handoffStatus: Record<'open' | 'claimed' | 'resolved', Label> = {
  open: { zh: '待认领', en: 'waiting' },
  claimed: { zh: '已认领', en: 'claimed' },
  resolved: { zh: '已办结', en: 'resolved' },
};

const role: Record<'desk' | 'station' | 'manager' | 'admin' | 'intake', Label> = {
  desk: { zh: '劝阻员', en: 'desk' },
  station: { zh: '派出所民警', en: 'station' },
  manager: { zh: '主管', en: 'manager' },
  admin: { zh: '管理员', en: 'admin' },
  intake: { zh: '接入系统', en: 'intake' },
};

/** Script-wide and state events a flow reacts to, besides the intents (flows/engine/types.ts FlowEvent). */
const flowEvent: Record<string, Label> = {
  ...intent,
  low_confidence: { zh: '未能理解', en: 'not understood' },
  default: { zh: '其他回答', en: 'default' },
  no_reply: { zh: '无回复', en: 'no reply' },
  turn_limit: { zh: '轮次上限', en: 'turn limit' },
  unanswered: { zh: '未接听', en: 'unanswered' },
  voicemail: { zh: '语音信箱', en: 'voicemail' },
};

/** Organisation (issue 15): people's roles in a unit (server/org/people.ts UNIT_ROLES). */
const unitRole: Record<string, Label> = {
  desk_officer: { zh: '劝阻民警', en: 'Desk officer' },
  supervisor: { zh: '值班主管', en: 'Supervisor' },
  station_officer: { zh: '派出所民警', en: 'Station officer' },
  manager: { zh: '中心主管', en: 'Manager' },
  admin: { zh: '管理员', en: 'Admin' },
};

const unitKind: Record<string, Label> = {
  city: { zh: '市级中心', en: 'City centre' },
  district: { zh: '分局中队', en: 'District squad' },
  station: { zh: '派出所', en: 'Police station' },
};

/** How routing placed a case (server/org/routing.ts). */
const routing: Record<string, Label> = {
  code: { zh: '按单位代码', en: 'By unit code' },
  address: { zh: '按地址', en: 'By address' },
  default: { zh: '默认单位', en: 'Default unit' },
  unrouted: { zh: '未能分派', en: 'Unrouted' },
  moved: { zh: '主管调整', en: 'Moved by a supervisor' },
};

const stopPaymentStatus: Record<string, Label> = {
  requested: { zh: '已申请止付', en: 'Requested' },
  confirmed: { zh: '银行已止付', en: 'Stopped by the bank' },
  frozen: { zh: '已冻结', en: 'Frozen' },
  refused: { zh: '银行拒绝', en: 'Refused' },
  amount_returned: { zh: '已返还', en: 'Amount returned' },
};

/** The second review's decisions (server/org/review.ts). */
const reviewDecision: Record<string, Label> = {
  visit: { zh: '派出所上门', en: 'Send officers to the door' },
  call_again: { zh: '再次电话劝阻', en: 'Call again' },
  false_alarm: { zh: '误报，结案', en: 'False alarm: close' },
};

const visitStatus: Record<string, Label> = {
  assigned: { zh: '待接收', en: 'To accept' },
  accepted: { zh: '已接收', en: 'Accepted' },
  on_the_way: { zh: '已出发', en: 'On the way' },
  reported: { zh: '已反馈', en: 'Reported' },
  cancelled: { zh: '已取消', en: 'Cancelled' },
};

const visitResult: Record<string, Label> = {
  met_dissuaded: { zh: '见面并劝阻成功', en: 'Met and dissuaded' },
  not_home: { zh: '不在家', en: 'Not at home' },
  refused: { zh: '拒绝配合', en: 'Refused' },
  already_paid: { zh: '已转账（需止付）', en: 'Already paid (stop-payment)' },
  wrong_person: { zh: '非本人', en: 'Wrong person' },
};

export const VOCABULARY = {
  unitRole,
  unitKind,
  routing,
  stopPaymentStatus,
  reviewDecision,
  visitStatus,
  visitResult,
  intent,
  scamType,
  risk,
  reason,
  outcome,
  channel,
  language,
  cue,
  flowState,
  flowEvent,
  timelineEvent,
  attemptStatus,
  paymentMethod,
  nextAction,
  handoffStatus,
  role,
} satisfies Record<string, Record<string, Label>>;
export type VocabularyKind = keyof typeof VOCABULARY;

/** The label of a vocabulary value; an unknown value (a newer server, a manager's new state) shows as itself. */
export function vocabularyLabel(kind: VocabularyKind, value: string | null | undefined, locale: UiLocale): string {
  if (value == null) return '';
  const table = VOCABULARY[kind] as Record<string, Label | undefined>;
  return Object.prototype.hasOwnProperty.call(table, value) ? table[value]![locale] : value;
}
