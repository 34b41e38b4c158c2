import type { Intent, NluLocale } from './intents';
import { canonical } from './text';

/** A strong at-risk signal. Cues only ever raise risk: they never move a reply away from an at-risk intent. */
export interface CueRule {
  name: string;
  raises: Extract<Intent, 'mid_scam' | 'already_paid'>;
  pattern: Record<NluLocale, RegExp>;
  /** Utterance-level phrasings that say the opposite ("验证码我谁都没给"), beyond a negator just before the match. */
  veto?: Partial<Record<NluLocale, RegExp>>;
  /** Says the citizen's payment is still to come: without a payment cue, the reply is mid_scam, not already_paid. */
  pending?: boolean;
  /**
   * Negation that is part of the signal itself ("不要告诉任何人", "haven't sent it yet"): a negator inside a match
   * blocks it, except these. `true`: the whole match is the rule's own wording.
   */
  ownNegation?: Partial<Record<NluLocale, RegExp | true>>;
}

const AUTHORITY_ZH = '(警官|警察|民警|公安|刑警|检察官|检察院|法院|法官|老师|导师|讲师|客服|领导|老板|对象|男朋友|女朋友|网友|顾问|经理|平台|那边|对方)';
const AUTHORITY_EN = "(officer|agent|detective|police|cop|prosecutor|investigator|teacher|mentor|coach|tutor|support|customer service|boss|broker|advisor|adviser|manager|platform|ceo|boyfriend|girlfriend)";

// A payment verb still to be done: not "转出去的钱"/"转过了" (done), "转回来" (recovery), "转人工"/"投诉"/"交流" (not money).
const PAY_NEXT_ZH =
  '(转(?!人工|接|告|达|发|回)|付(?!出)|交(?!流|代|通|给警察|给你们)|打款|汇(?!报|总)|充(?!电)|存(?!在)|投(?!诉|票|降))(?!(出去|过去|走|进去)?的|(出去|过去|走|进去)了|过(?!去))';

export const CUE_RULES: CueRule[] = [
  {
    name: 'safe_account',
    raises: 'mid_scam',
    pattern: {
      zh: /安全(账|帐)户|(资金|资产)(清查|核查)|验资|指定(账|帐)户|监管(账|帐)户/,
      en: /safe account|secure account|safe wallet|asset (check|verification)|verify (my|the) (funds|money)|need to verify my funds|holding account/,
    },
  },
  {
    name: 'screen_sharing',
    raises: 'mid_scam',
    pattern: {
      zh: /屏幕共享|共享屏幕|(开|开着|打开)(了)?共享|远程(控制|协助|操作|帮我)|会议软件|腾讯会议|向日葵|开着视频/,
      en: /screen ?shar|share (my|the|your) screen|remote(ly)? (access|control|desktop|fixing)|fixing things remotely|teamviewer|anydesk|meeting app|keep the video on|stay on video/,
    },
    veto: {
      zh: /我(没|不|没有)(弄|开|共享|下载|装|下)/,
      en: /\bi said no\b|refused|(didn't|didnt|not|never) (share|install|download)/,
    },
  },
  {
    name: 'verification_code',
    raises: 'mid_scam',
    pattern: {
      zh: /验证(码|马)|短信.{0,6}(数字|码)|六位数字/,
      en: /verification code|\bcode (they|he|she|it) (sent|texted)|\bcode from my (texts?|sms|messages?)|(six|6)[ -]digit|\botp\b|(give|gave|read|tell|send) (him|her|them) the code|wants the (verification )?code/,
    },
    veto: {
      zh: /验证(码|马).{0,6}(没|不给|不会)|(谁|任何人)都没给/,
      en: /(never|didn't|didnt|haven't|havent|not) (give|gave|given|share|shared|send|sent|read)[a-z ]{0,12}code/,
    },
  },
  {
    name: 'release_fee',
    raises: 'mid_scam',
    pattern: {
      zh: /解(冻|动)|提现.{0,8}(交|税|费)|体现.{0,4}(交|税|费)|(交|缴|付).{0,6}(税|手续费|保证金|保险费|押金|罚款|会员费)|个税|所得税|流水不够|刷流水|保证金|手续费/,
      en: /unfreez|unlock(ing)? (fee|my account)|withdrawal fee|with ?draw.{0,20}\b(fee|tax)|\b(pay|paying) (the |a |my )?(tax|taxes|fee|fees|margin|deposit|insurance|fine)\b|tax (on|before)|handling fee|guarantee fee|\bmargin\b|release (the )?(funds|loan)|clearance fee|insurance fee/,
    },
    ownNegation: { zh: /流水不够/g },
    veto: {
      zh: /(没|不)(交|缴|付|贷)|不会去交/,
      en: /(didn't|didnt|never|won't|wont|not) (pay|paying)|walked away|backed out/,
    },
  },
  {
    name: 'loan_to_pay',
    raises: 'mid_scam',
    pattern: {
      zh: /(借|贷|网贷|花呗|借呗|信用卡|套现).{0,10}(转|交|充|还|凑|给|清|验证|证明|垫)|(转|交|充|还|凑|清).{0,10}(借钱|借点钱|网贷|贷款)|找.{0,4}借(点)?钱|贷款.{0,4}(清|消|注销).{0,4}记录/,
      en: /(take|taking|took|get) (out )?a loan|borrow(ing)? (some )?(money )?(from|to pay)|borrow[a-z]* .{0,20}(pay|fee|margin|deposit)|credit cards? to (cover|pay)|loan to (prove|clear|show)|payday loan/,
    },
    veto: {
      zh: /(没|不|别)(借|贷)/,
      en: /(didn't|didnt|won't|wont|not|never|refused to) (borrow|take out|take a loan)|refused/,
    },
  },
  {
    name: 'told_to_keep_secret',
    raises: 'mid_scam',
    pattern: {
      zh: /(不要|不能|不让|别|不许|不准|千万别)(我)?(跟|和|对)?(任何人|别人|家里人|家里|家人|其他人|亲戚|朋友|老公|老婆|孩子|银行|警察|你们|你|外人)(说|讲|透露)|(不要|不能|不让|别|不许|不准|千万别)(我)?告诉|保密|不能说|不让我说/,
      en: /\b(not to|don't|can't|cannot|not allowed to|mustn't|shouldn't|never) (tell|talk about|discuss|mention)\b|not allowed to (say|discuss|talk)|keep (it|this) (a )?(secret|quiet|confidential)|confidential|classified|don't tell (him|her|my|anyone)|please don't tell|can't tell (you|anyone)|cant tell (you|anyone)|cant talk to you/,
    },
    ownNegation: { zh: true, en: true },
    veto: {
      zh: /没(有)?(人)?(让|叫|要求)我(保密|不要|别)/,
      en: /nobody told me|no one told me|didn't tell me not/,
    },
  },
  {
    name: 'about_to_pay',
    raises: 'mid_scam',
    pattern: {
      zh: new RegExp(
        `(准备|打算|计划|马上|这就|等下|等会|待会|一会|等一下|正在|正要|正打算|要去|去银行|继续|还要|还得|就得|我得|必须|需要|让我|叫我|要我|逼我|催我|明天|明早|改天|过两天|今晚)[^，。]{0,6}?${PAY_NEXT_ZH}|要[^，。]{0,2}?${PAY_NEXT_ZH}|(准备|打算|马上|这就|等下|等会|一会|正在|正要|要去|去银行).{0,6}(取钱|取现)|`
          + '(在|去)银行.{0,4}(排队|路上)|正在取钱|取钱了|凑钱|再(投|充|交)|加仓|补足|还没(转|付|交|汇)(呢)?[^。]{0,6}(要不要|该不该|等会|等下|马上|明天|晚点)|要不要(转|付|交|汇)',
      ),
      en: /\b(about to|going to|gonna|will|i'll|ill|on my way to|heading to|getting|get|have to|has to|need to|needs to|got to|gotta|must|supposed to|planning to|plan to|ready to|wants? me to|wanted me to|ask(s|ed|ing)? me to|tell(s|ing)? me to|told me to|pushing me to|pressuring me to|making me|keep|continue to)\b.{0,12}?\b(send|sending|transfer|transferring|pay|paying|wire|wiring|deposit|withdraw the cash|buy them|the money together|cash|invest)\b|\btop(ping)? up\b|add(ing)? (more|margin)|put(ting)? (another|more)|one more (combined )?(task|order)|\b(haven't|havent|have not|not) (sent|paid|transferred|wired) (it |anything |them |him |the money )?yet\b|should i (send|pay|transfer|wire)\b/,
    },
    pending: true,
    ownNegation: {
      zh: /还没(转|付|交|汇)|要不要|该不该/g,
      en: /\b(haven't|havent|have not|not) (sent|paid|transferred|wired)\b/g,
    },
    veto: {
      zh: /(不|(?<!还)没|别)(转|付|交|投|充)|不会(转|付|交)/,
      en: /(won't|wont|not going to|never|didn't|didnt) (send|transfer|pay|top up)|(but )?i (won't|wont)( now)?\b|not paying|but i (didnt|didn't|never)/,
    },
  },
  {
    name: 'authority_directs',
    raises: 'mid_scam',
    pattern: {
      zh: new RegExp(`${AUTHORITY_ZH}(同志|叔叔)?(说|让|叫|要|要求|教|催)(我|了)?.{0,4}(要|先|必须|得|把|去|再|不|别|转|交|充|配合|开)`),
      en: new RegExp(`\\b${AUTHORITY_EN}\\b.{0,12}\\b(says|said|told me|asked me|wants me|needs me|needs|is helping|is walking me|guarantees|instructed)\\b`),
    },
    ownNegation: { zh: /(不|别)$/g },
    veto: {
      zh: /我(没|不|没有)(借|转|交|充|去|弄|理|听|下载)/,
      en: /\bi (didn't|didnt|won't|wont|said no|refused|never)\b/,
    },
  },
  {
    name: 'already_transferred',
    raises: 'already_paid',
    pattern: {
      zh: /(转|汇|交|充|存|刷|投|垫|冲|补|付)(了|过|出去|过去|进去)|(转|存|打|汇)到[^，。]{0,10}了|打(了)?.{0,3}(款|钱|万|千|块)|(钱|款).{0,4}打过去|(钱|款)(已经|都|全)?(给了|付了|转了)|给了(他|她|对方|他们)|(转|汇)(账|帐|款)(已经)?成功|扫码付|(已经|刚|刚刚|刚才)[^，。]{0,4}(转|付款|付了|汇|打款|交|充|给他|给她|给了|存)|(转|汇|打)给(他|她|对方|他们)了|(转|汇)给了|(都|全部)转给|转给他的时候|(用|在)[^，。]{0,6}(转的|付的|汇的)|^(刚刚|刚才|昨天|前天|今天)?(转|付|汇)的|贷了款转/,
      en: /\b(sent|paid|transferred|wired|deposited|venmo'?d|zelle'?d|zelled|moved|gave|bought)\b|\bcharged (\$?\d|.{0,12}card)|\bput (\$?\d|one|two|three|four|five|six|seven|eight|nine|ten|twenty|thirty|forty|fifty|a hundred|hundreds|thousands|over|about|around|all|everything|my savings|in\b|into)/,
    },
    veto: {
      en: /\b(gave|sent|paid) (him |her |them )?(nothing|zero)\b|not a (cent|penny|thing)/,
    },
  },
  {
    name: 'money_gone',
    raises: 'already_paid',
    pattern: {
      zh: /(钱|款|积蓄|退休金)(已经|都|全|就|也)?(被)?(转走|打过去|没了|拿不回来|被骗)|被.{0,3}(骗走|转走|拿走|扣走)|(钱|款|余额|卡里|账户里).{0,4}被?扣(了|走)|被骗(了|走)|卡里(的)?钱.{0,4}没了|(钱|款).{0,2}转出去了|(转|打|汇)(过去|出去)的(钱|款)|扣(了|走)(我)?.{0,3}[\d一二两三四五六七八九十百千万]/,
      en: /\b(got|been|was|were) (scammed|conned)|\bconned out of\b|\b(took|taken|debited|withdrew|withdrawn) (\$?\d|.{0,16}\bfrom my (account|card|savings))|(transfer|payment|money)('s|s| has| is)? (went|gone|already gone|gone through|went through|left)|\bmoney'?s (already )?gone|took all my money|moved all my money|it'?s all gone|account is empty|nothing left|(lost|lose) (around |about )?\d/,
    },
    // "钱没了" is money gone, "拿不回来" money lost: the negation is the signal.
    ownNegation: { zh: /没了|拿不回来/g, en: /nothing left/g },
  },
];

const NEGATOR = {
  zh: /(没|没有|还没|未|不|别|差点|差一点|本来|绝不|从不|拒绝)[^，。,.!?！？；;]{0,4}$/,
  en: /\b(not|never|no|didn't|didnt|don't|dont|won't|wont|haven't|havent|hasn't|wasn't|refuse|refused|refusing|without|nobody|nothing|almost|nearly|was going to|was gonna|was about to|whether|if)\b[^,.!?;]{0,24}$/,
};
// A negator inside a match ("I will not pay", "准备先不转") scopes over the rest of it.
const SPAN_NEGATOR = {
  zh: /不|没|别|未|拒绝/,
  en: /\b(not|never|no|don't|dont|won't|wont|didn't|didnt|haven't|havent|can't|cant|refuse|refused|refusing)\b/,
};
// A clause that refuses what was asked ("I refused", "我没转", "no way") takes the pressure it follows off the table.
const REFUSAL = {
  zh: /^(我|我就|我也|我才|我可|那我)?(已经|直接|当场|坚决|果断|当然)?(拒绝了?|没(有)?(转|借|贷|给|交|付|充|弄|开|下载|装|同意|答应|照做)|不(转|借|贷|给|交|付|充|干|弄)(了|的)?|才不(转|借|给|交|付|干)|说不(要|行|转|借|干)?)(他|她|他们|对方|了|的|啊|呢|吧|呀|钱|他的要求|她的要求)*$/,
  en: /^(and |which |i just |i simply )?(i|i've|ive)\s+(just |simply |flat out |obviously )?(refused|declined|said no|turned (it|them|him|her) down|didn't|didnt|did not|won't|wont|will not|never did|am not going to|'m not going to|'m not|am not|don't|dont|do not)(( to)? (do it|do that|pay|send|transfer|borrow|take (it|one|the loan|a loan|out)|share|give (it|them|him|her)|install|download|agree|wire|deposit|go along)\b.*)?$|^(no way|hell no|not a chance|not happening|nope|no chance)\b/,
};
// Payment still to come ("让我把钱转到…", "needs a deposit paid") is mid_scam's business, not already_paid's.
const NOT_YET = {
  zh: /(打算|准备|就要|马上|让我|叫我|要我|说要|才能|就能|想|要(?=[转交付打充汇存给])|先(?=[转交付打充汇存给])|再(?=[转交付打充汇存给]))[^，。]{0,12}$/,
  en: /\b(need|needs|needed|have to|has to|must|gonna|going to|will|about to|want|wants|before|until|to be)\b[^,.!?;]{0,20}$/,
};
const CONDITIONAL_AFTER = { zh: /^[^，。]{0,2}(就|才)(能|可以|会)/, en: /^ back\b/ };
const STATED_DONE = { zh: /(已经|刚刚|刚才|都|全部)$/, en: /\b(already|just)\s*$/ };
const CLAUSE_BREAK = {
  zh: /[，。,.!?！？；;\n]|但是|但|可是|不过|结果|后来|然后|所以/,
  en: /[,.!?;\n]|\bbut\b|\bthough\b|\bhowever\b|\bthen\b|\bso\b|\band then\b/,
};

// A reply that has clearly seen through the scam ("他说要交保证金我就知道是骗子") does not get mid_scam cues.
const DISARM = {
  zh: /拉黑|挂了|挂断|删了|删掉|举报|报警了|报了警|报了110|不理|没理|没搭理|不会上当|没上当|不会信|不玩了|退出|退了|(知道|觉得|就是|肯定是|一听就|看出|明白|发现).{0,6}(骗|假的|不对)/,
  en: /blocked|hung up|deleted|reported|ignored|ignoring|not falling|won't fall|didn't fall|cut (all )?contact|i quit|(know|knew|realis|realiz|obviously|clearly|seen this|could tell).{0,20}(scam|fake|\bcon\b|trick)/,
};

// General questions ("安全账户是什么意思", "what's the risk of screen sharing") reveal no own risk.
const QUESTION = {
  zh: /什么|怎么(?!办)|怎样|如何|吗|么|是不是|会不会|能不能|为什么|哪|？|\?/,
  en: /\?|^(how|what|what's|whats|why|is|are|do|does|can|could|would|should|when|where|which|any)\b/,
};
const INVOLVED = {
  zh: /我(?!怎么|要怎么|应该|想问|该怎么)|转过去的钱|打过去的钱|刚刚|刚才|昨天|前天|今天/,
  en: /\b(told me|asked me|wants me|want me|me to|i'm|im|i am|i've|ive|i have to|i need to|i must|i sent|i paid|i transferred|my money)\b/,
};

function clauses(text: string, locale: NluLocale): string[] {
  return text.split(CLAUSE_BREAK[locale]).filter((c) => c && c.trim());
}

// "he sent me a photo", "他给了我链接": the fraudster's actions are not the citizen's payment.
const THIRD_PERSON = {
  zh: /(?<!给)(他|她|对方|他们|她们)(也|都|又|还)?$/,
  en: /\b(he|she|they|who|it|you|that|which|someone|somebody|hes|shes)\s*(just |already |also )?$/,
};

const GLOBAL = new Map<RegExp, RegExp>();
function globalOf(re: RegExp): RegExp {
  let g = GLOBAL.get(re);
  if (!g) {
    g = new RegExp(re.source, 'g');
    GLOBAL.set(re, g);
  }
  g.lastIndex = 0;
  return g;
}

function negatedInside(match: string, rule: CueRule, locale: NluLocale): boolean {
  const own = rule.ownNegation?.[locale];
  if (own === true) return false;
  return SPAN_NEGATOR[locale].test(own ? match.replace(own, ' ') : match);
}

function firesIn(clause: string, rule: CueRule, locale: NluLocale): boolean {
  const pattern = rule.pattern[locale];
  if (!pattern.test(clause)) return false;
  for (const m of clause.matchAll(globalOf(pattern))) {
    const before = clause.slice(0, m.index);
    if (NEGATOR[locale].test(before)) continue;
    if (negatedInside(m[0], rule, locale)) continue;
    if (rule.name === 'already_transferred') {
      if (THIRD_PERSON[locale].test(before)) continue;
      if (!STATED_DONE[locale].test(before) && NOT_YET[locale].test(before)) continue;
      if (CONDITIONAL_AFTER[locale].test(clause.slice((m.index ?? 0) + m[0].length))) continue;
    }
    return true;
  }
  return false;
}

/** Names of the cue rules that fire, with the intent each would raise to. */
export function detectCues(text: string, locale: NluLocale): CueRule[] {
  const t = canonical(text).replace(/^((um+|uh+|er+|so|like|嗯+|呃+|那个|啊)[\s,，]*)+/, '');
  const generalQuestion = QUESTION[locale].test(t) && !INVOLVED[locale].test(t);
  const parts = clauses(t, locale);
  const disarmed = DISARM[locale].test(t) || parts.some((c) => REFUSAL[locale].test(c.trim()));
  return CUE_RULES.filter((rule) => {
    if (generalQuestion) return false;
    if (rule.raises === 'mid_scam' && disarmed) return false;
    if (rule.veto?.[locale]?.test(t)) return false;
    return parts.some((c) => firesIn(c, rule, locale));
  });
}
