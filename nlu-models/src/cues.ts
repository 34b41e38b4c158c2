import type { Intent, NluLocale } from './intents';
import { canonical, expandShorthand } from './text';

/** A strong at-risk signal. Cues only ever raise risk: they never move a reply away from an at-risk intent. */
export interface CueRule {
  name: string;
  raises: Extract<Intent, 'mid_scam' | 'already_paid'>;
  pattern: Record<NluLocale, RegExp>;
  /** Utterance-level phrasings that say the opposite ("验证码我谁都没给"), beyond a negator just before the match. */
  veto?: Partial<Record<NluLocale, RegExp>>;
  /** Says the citizen's payment is still to come: without a payment cue, the reply is mid_scam, not already_paid. */
  pending?: boolean;
  /** About obeying the other side against us (ignore, block, delete): blocking and deleting words do not disarm it. */
  obeys?: boolean;
  /**
   * Negation that is part of the signal itself ("不要告诉任何人", "haven't sent it yet"): a negator inside a match
   * blocks it, except these. `true`: the whole match is the rule's own wording.
   */
  ownNegation?: Partial<Record<NluLocale, RegExp | true>>;
  /** The pattern is the whole reply (punctuation and fillers aside), not a clause of it: a terse answer. */
  whole?: boolean;
}

const AUTHORITY_ZH = '(警官|警察|民警|公安|刑警|检察官|检察院|法院|法官|老师|导师|讲师|客服|领导|老板|对象|男朋友|女朋友|网友|顾问|经理|平台|那边|对方)';
const AUTHORITY_EN = "(officer|agent|detective|police|cop|prosecutor|investigator|teacher|mentor|coach|tutor|support|customer service|boss|broker|advisor|adviser|manager|platform|ceo|boyfriend|girlfriend)";

// Who speaks for the scam: "他们/老师/客服/警官早就说了…", "my mentor warned me…".
const SPEAKER_ZH = '(人家|他|她|他们|她们|对方|老师|导师|讲师|客服|警官|警察|检察官|专员|那边|平台|男朋友|女朋友|对象|网友|群里|群主|助理|经理|领导|顾问|上面|办案人员|工作人员)';
const SPEAKER_EN = "\\b(they|he|she|the (officer|agent|detective|teacher|mentor|coach|advisor|adviser|broker|support|platform|prosecutor|investigator|guy|lady|man|woman|manager|bank|police|caller|team|group|admin)|my (mentor|teacher|coach|advisor|adviser|broker|boyfriend|girlfriend|partner|fiance|fiancé|handler|case officer|manager)|customer service|support|the group)";
// Who handles the citizen while the scam runs.
const HANDLER_ZH = '(客服|警官|警察|公安|检察官|老师|导师|专员|银行的工作人员|银行工作人员|工作人员|银行的人|平台|对方|他们|那边|经理|顾问|办案人员)';
const HANDLER_EN = "\\b(customer service|customer support|support|the support team|the agent|an agent|the officer|the detective|the police|the prosecutor|the investigator|the bank|my bank|the bank's (team|staff|fraud team)|the fraud team|the platform|the broker|my broker|the advisor|my advisor|the mentor|my mentor|the teacher|the tech|tech support|the technician|the refund team|the refund (guy|lady)|amazon|the (guy|lady) from|the case officer|them)\\b";
// Amounts as people say them, for "被骗了三千" and "lost 3 grand".
const AMOUNT_ZH = '[\\d一二两三四五六七八九十百千万几]+(块|元|万|千|百|w|k)?';
const AMOUNT_EN = "(\\$|£|€|¥|rmb|usd)\\s?\\d[\\d,.]*\\s?(k|grand|thousand|hundred|million)?|\\b\\d[\\d,.]*\\s?(k|grand|thousand|hundred|million|bucks|dollars|pounds|quid|yuan|euros?)?\\b|\\b(a|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|a hundred|hundreds|several|a few|a couple|thousands)( [a-z]+)? (grand|thousand|hundred|k|bucks|dollars|pounds|quid|yuan)\\b";

// A terse answer's words and amounts (answers_paid): what may stand around an amount said alone.
const TERSE_ZH = '是的|是|有的|有|对|大概|差不多|一共|总共|前后|先后|先|又|再|然后|还有|转了|付了|给了|打了|汇了|充了|了|用|微信|支付宝|银行卡|卡|转账|多|左右|块钱|块|元|人民币|的|和|加';
const WHEN_ZH = '昨天|昨晚|前天|今天|今早|刚才|刚刚|上周|上个月|上礼拜|早上|上午|中午|下午|晚上|夜里|前几天|那天|转的|付的|给的|的';
const WHEN_EN = 'last (night|week|month|year)|yesterday|this (morning|afternoon|week)|today|earlier|just now|a (few )?(days|weeks) ago|on (monday|tuesday|wednesday|thursday|friday|saturday|sunday)';
const AMOUNT_ANSWER_ZH = '[\\d一二两三四五六七八九十百千万几]+(块钱|块|元|万|千|w|k|百)|[1-9]\\d{3,}';
const TERSE_EN =
  "yes|yeah|yep|ya|y|i have|i did|i've paid|i paid|i sent|about|around|roughly|nearly|almost|over|only|just|it was|it's|its|first|then|another|and|plus|in total|total|so far|altogether|already|sent|paid|transferred|by|via|on|with|through|using|in|my|the|a|card|credit card|debit card|bank transfer|transfer|wire|alipay|wechat|wechat pay|paypal|crypto|bitcoin|btc|usdt|cash|zelle|venmo|gift cards?|lots of|times|each|of";
const AMOUNT_ANSWER_EN =
  "(\\$|£|€|¥|rmb|usd|aud|cad|hkd|gbp)\\s?\\d[\\d,.]*\\s?(k|grand|thousand|hundred)?|\\d[\\d,.]*\\s?(k|grand|thousand|hundred|bucks|dollars|pounds|quid|yuan|rmb|euros?|usd)|[1-9]\\d{2,}(,\\d{3})*|(a|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|a few|a couple of|several) (grand|thousand|hundred|k)";

// The reply says outright that no money went: no payment cue fires.
const NO_PAYMENT = {
  zh: /(一分|一毛|一分钱|钱)(都|也)?没(有)?(转|付|给|交|汇|打|少)|没(有)?(转|付|给|交|汇|打)(过)?(钱|款|一分)|钱(都|还)?(在|没少|没动|好好的)|没(有)?损失/,
  en: new RegExp("\\b(nothing|no money|not a (cent|penny|dime|thing)|zero)\\s+(was |has been |got |went )?(paid|sent|transferred|lost|taken|gone|out)\\b|\\bno money (went|has gone|left|moved)\\b|\\bno loss\\b|\\b(my )?money('s| is| has)? (all )?(still )?(safe|fine|intact|in my (bank )?account)"),
};

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
      en: /verification code|\bcode (they|he|she|it) (sent|texted)|\bcode from (my|the) (texts?|sms|messages?)|(six|6)[ -]digit|\botp\b|(give|gave|read|tell|send) (him|her|them) the code|wants the (verification )?code/,
    },
    veto: {
      zh: /验证(码|马).{0,6}(没|不给|不会)|(谁|任何人)都没给|(你们|你)[^，。,.]{0,8}验证(码|马)/,
      en: /(never|didn't|didnt|haven't|havent|not) (give|gave|given|share|shared|send|sent|read)[a-z ]{0,12}code|\b(you|you'll|youll|you're|youre|you guys)\b[^,.;!?]{0,24}\bcode\b/,
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
        `(准备|打算|计划|马上|这就|等下|等会|待会|一会|等一下|正在|正要|正打算|要去|去银行|继续|还要|还得|就得|我得|必须|需要|让我|叫我|要我|逼我|催我|明天|明早|改天|过两天|今晚|晚点|稍后|回头|晚上|下午|下班后|下班|回家|到家|发工资|发了工资)[^，。]{0,6}?${PAY_NEXT_ZH}|要[^，。]{0,2}?${PAY_NEXT_ZH}|(准备|打算|马上|这就|等下|等会|一会|正在|正要|要去|去银行).{0,6}(取钱|取现)|`
          + '(在|去)银行.{0,4}(排队|路上)|(在|去|到)(atm|取款机|柜员机|自动取款机)|正在取钱|取钱了|凑钱|再(投|充|交)|加仓|补足|还没(转|付|交|汇)(呢)?[^。]{0,6}(要不要|该不该|等会|等下|马上|明天|晚点)|要不要(转|付|交|汇)',
      ),
      en: /\b(about to|going to|gonna|will|i'll|ill|on my way to|heading to|getting|get|have to|has to|need to|needs to|got to|gotta|must|supposed to|planning to|plan to|ready to|wants? me to|wanted me to|ask(s|ed|ing)? me to|tell(s|ing)? me to|told me to|pushing me to|pressuring me to|making me|keep|continue to)\b.{0,12}?\b(send|sending|transfer|transferring|pay|paying|wire|wiring|deposit|withdraw the cash|buy them|the money together|cash|invest)\b|\btop(ping)? up\b|add(ing)? (more|margin)|put(ting)? (another|more)|one more (combined )?(task|order)|\b(finish|finishing|complete|completing|doing) (this|the|my) (last|final) (task|order|set|round)\b|\b(haven't|havent|have not|not) (sent|paid|transferred|wired) (it |anything |them |him |the money )?yet\b|should i (send|pay|transfer|wire)\b|\b(paying|sending|transferring|wiring|depositing)( (it|them|him|her|the (money|rest|deposit|fee|balance)))? (now|right now|as we speak|tonight|tomorrow|later|this (afternoon|evening|morning|weekend)|after work|first thing|in (an|a few|\d+|one|two) (hours?|minutes?|mins?))\b|\b(at|to|by|going to|heading to|in front of) (the|an) (atm|cash machine|cashpoint)\b/,
    },
    pending: true,
    ownNegation: {
      zh: /还没(转|付|交|汇)|要不要|该不该/g,
      en: /\b(haven't|havent|have not|not) (sent|paid|transferred|wired)\b/g,
    },
    veto: {
      zh: /(不|(?<!还)没|别)(转|付|交|投|充)|不会(转|付|交)|在银行[^，。,.]{0,8}(办|自己的事|房贷|业务|存折)/,
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
      zh: /(转|汇|交|充|存|刷|投|垫|冲|补|付)(了|过|出去|过去|进去)|(转|存|打|汇)到[^，。]{0,10}了|打(了)?.{0,3}(款|钱|万|千|块)|(钱|款).{0,4}打过去|(钱|款)(已经|都|全)?(给了|付了|转了)|给了(他|她|对方|他们)|(转|汇)(账|帐|款)(已经)?成功|扫码付|(已经|刚|刚刚|刚才)[^，。]{0,4}(转|付款|付了|汇|打款|交|充|给他|给她|给了|存)|(转|汇|打)给(他|她|对方|他们)了|(转|汇)给了|(都|全部)转给|转给他的时候|(用|在)[^，。]{0,6}(转的|付的|汇的)|^(刚刚|刚才|昨天|前天|今天)?(转|付|汇)的|贷了款转|掏了|掏出|(自己|我)掏(钱|腰包)|(付款|转账|转完账|汇款|打款|付完钱|转完钱)(之后|以后|后|完)/,
      en: /\b(sent|paid|transferred|wired|deposited|venmo'?d|zelle'?d|zelled|moved|gave|bought|topped up|recharged)\b|\bcharged (\$?\d|.{0,12}card)|\bput (\$?\d|one|two|three|four|five|six|seven|eight|nine|ten|twenty|thirty|forty|fifty|a hundred|hundreds|thousands|over|about|around|all|everything|my savings|in\b|into)/,
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
  {
    // A loss stated as a loss, not as a payment: "被骗了三千", "亏了两万", "I'm out 3 grand", "lost my savings".
    name: 'money_lost',
    raises: 'already_paid',
    pattern: {
      zh: new RegExp(
        `(被|让|给)(人|他|她|他们|对方|骗子)?(骗|坑|套|诈骗)(了|走|去|掉)|骗(了|走|去)(我|我们|我妈|我爸|他|她)?[^，。]{0,4}${AMOUNT_ZH}|(亏|赔|损失|搭|套)(了|掉|进去|光|惨)|亏损|打(了)?水漂|血本无归|(上|受)(了)?(当|骗)(了)?|(钱|积蓄|存款|养老钱|退休金|本金|工资|首付)[^，。]{0,4}(没了|没有了|要不回来|拿不回来|取不回来|追不回来|回不来|全没了|都没了|打水漂)|(卷|骗|坑|拿|转)走了(我)?|一分不剩|分文不剩|一分都不剩|一分都提不|(提|取)不(了|出来|出)(现|钱)?|提现不了|(无法|不能|不让)(我)?(提现|提|出金)|出不了金`,
      ),
      en: new RegExp(
        `\\b(lost|lose|losing|out|down|drained|wiped out|cleaned out|fleeced|swindled|ripped off|robbed|cheated|duped|conned|scammed|taken for)\\b[^,.;!?]{0,24}?(${AMOUNT_EN}|\\b(my|our|all|the|his|her|their) (money|savings|life savings|pension|retirement|deposit|inheritance|cash|funds|nest egg)\\b|\\beverything\\b|\\bit all\\b|\\ball of it\\b)|\\b(got|been|was|were|i've been|ive been|i got|we got) (ripped off|robbed|fleeced|swindled|cheated|duped|had|taken|stung)\\b|\\b(ripped|cleaned|wiped) me out|\\b(took|stole|drained|emptied|wiped) (all )?(my|our|mum's|mom's|dad's|her|his) (money|savings|account|card|pension|cash)|\\b(money|savings|life savings|pension|retirement|deposit|funds|nest egg|cash)('s| is| are| has| have)? (all )?(already )?(gone|vanished|disappeared)|\\b(can't|cannot|unable to|won't let me|not letting me|not allowed to) (withdraw|cash out|take (it|my money|anything) out)\\b|\\bwithdrawals? (is |are |got |has been |have been )?(frozen|blocked|locked|refused|rejected|stuck)|\\b(can't|cannot|cant|never) get (it|my money|the money|any of it) back|\\bnever (got|saw) (it|the money|my money|a cent|a penny) back|\\b(never|won't|wont|not going to) see (it|that|the|my|our|this|any)\\b[^;!?]{0,24}\\bagain|out of pocket`,
      ),
    },
    // "要不回来", "can't get it back": the negation is the signal. "被骗了吗" and "差点被骗" are not losses.
    ownNegation: { zh: /要不回来|拿不回来|取不回来|追不回来|回不来|没了|没有了|全没|都没|一分不剩|一分都不剩|一分都提不|(提|取)不(了|出来|出)|提现不了|(无法|不能|不让)(我)?(提现|提|出金)|出不了/g, en: /\b(can't|cannot|cant|never) get|\bnever (got|saw)|\b(never|won't|wont|not going to) see|\b(can't|cannot|won't let me|not letting me|not allowed to) (withdraw|cash out|take)/g },
    veto: {
      zh: /(是不是|会不会|怕|担心|害怕|以免|防止|避免|差点|差一点|险些|没有?)(被)?(人)?(骗|上当|受骗)|被骗(了)?(吗|么|嘛|没)|骗不了|(不|没)(亏|赔|损失)/,
      en: /\b(almost|nearly|could have|could've|would have|would've|might have|afraid|scared|worried|don't want to|dont want to|so i don't|not going to|never|didn't|didnt|haven't|havent|wasn't|wasnt|won't|wont) (be |get |been |have )?(lost|lose|scammed|ripped off|cheated|conned|robbed)|\\bdid i (just )?(lose|get scammed)|nothing (was )?(lost|taken)|no (money )?(lost|loss)|\\blost (my|the) (phone|keys|card|wallet|job|signal|connection|number|password|way)\\b/,
    },
  },
  {
    // Vouching for the other side: "不是骗子", "他给我看了警官证", "提现过", "it's legit", "I withdrew my gains fine", "my own choice".
    name: 'vouches',
    raises: 'mid_scam',
    pattern: {
      zh: /(不是|不会是|不可能是|怎么可能是|怎么会是|哪是|哪里是|根本不是|绝对不是|才不是)[^，。]{0,3}(骗子|骗局|诈骗|骗人|假的|传销)|(好多人|很多人|大家|别人|群里的人|群里)[^，。]{0,4}(都)?(赚|挣|提现|提出来)(到|了|过)|我(只)?(听|信)(检察官|警官|法官|老师|导师|客服|平台|经理|专员|对方|他们|他|她)的|我(跟|和|与)(平台|老师|导师|对方|他|她|他们|男朋友|女朋友|对象|公司|经理)(之间)?的事|(不会|没有|没)骗(我|人)|(是|很|挺|绝对|肯定)?(正规|合法|靠谱|可靠|真实)(的)?(平台|公司|项目|机构|渠道|投资|的)|(有|看过|查过|验证过|核实过)[^，。]{0,3}(营业执照|执照|资质|牌照|备案)|(给|发)(我)?(看|看了|看过|发了|发过)[^，。]{0,6}(警官证|警号|工作证|证件|身份证|执照|逮捕令|通缉令|文件|公章|合同|证书|资质)|(提现|提出来|取出来|提过现|出金|到账)[^，。]{0,4}(过|了|成功|没问题|都到了)|(前面|之前|上次|以前|每次|已经)[^，。]{0,6}(提现|提出来|取出来|到账|赚了|赚到)|(我|是我)(自己|自愿)(的选择|愿意|决定|要投|投的|选的|的钱|的事)|自愿的|(我|我很|我都)(相信|信任|信)(他|她|他们|老师|导师|对象|男朋友|女朋友|客服|警官|检察官|法官|专员|那边)|(视频|见)(过|了)面|跟他视频过|(国家|政府)(扶持|支持|批准|认证)|稳赚|保本|包赚|零风险|(这个|这次|这回|我这个|他|她|这家)(不一样|不同)|(他|她|对方|这个平台|平台|这个)(是|肯定是|绝对是)真的(?![^，。]{0,2}(吗|骗|假))|自己的选择|自己负责|我的选择/,
      en: /\b(it's|it is|its|this is|that's|he's|he is|she's|she is|they're|they are|the (platform|app|site|company|investment|deal|offer|job|guy|man|woman|broker|teacher|mentor|officer)('s| is))?\s*(not|isn't|isnt|aint|ain't|is not|definitely not|no way|can't be|cannot be|couldn't be) (a |an )?(scam|scammer|scammers|con|fraud|fake|ponzi|pyramid)\b|\b(it's|its|they're|he's|she's|it is|they are|totally|completely|100%|fully|perfectly) (legit|legitimate|genuine|above board|the real deal|trustworthy|regulated|licensed|registered|safe)\b|\b(showed|sent|gave) (me )?(his|her|their|a) (id|badge|badge number|licen[cs]e|warrant|certificate|credentials|documents|papers|police id|id card|case number|paperwork)|\b(took|got|pulled|taken|gotten) (my |our |some )?(gains|profits|profit|money|earnings|returns|commission) out\b|\b(i've|ive|i have|i|we've|we) (already )?(withdrawn|withdrew|cashed out|taken out|took out|pulled out|made|earned|got paid)\b[^,.;!?]{0,16}\b(profit|profits|gains|returns|money|earnings|commission|before|fine|no problem|twice|several times|every time|already)|\bwithdrawals? (work|worked|went through|came through)|\b(it's|its|it is|that's|thats|this is) (all )?(my|our) (own )?(choice|decision|money|investment|call)\b|\bmy own (choice|decision|money|investment|call)\b|\b(my|our) (choice|decision) to (invest|put|send|pay|trade|do)\b|\bi (chose|decided) (this|to invest|to put|to do this)|\bi know what i'm doing|\bi know what im doing|\b(i|we) (trust|believe) (him|her|them|my (mentor|teacher|broker|boyfriend|girlfriend|advisor|adviser|partner))\b|\b(met|video called|video chatted|facetimed) (him|her|them) (in person|already|before)?|\bguaranteed (returns|profit|income)|\bno risk\b|\bno way (he|she|they|it)('s| is| are|'re|s) (lying|scamming|a scam|a scammer|fake)|\b(he|she|they)('d| would) never (lie|scam|cheat|steal)|\b(government|state)[- ](backed|approved|sponsored|certified|licensed|registered)|\b(it's|its|it is|they're|theyre|he's|hes|she's|shes) (real|genuine)\b[ ,.;]*\bi (checked|verified|looked)|\bhow (can|could|would) (it|this|that|he|she|they) (be|possibly be) (a |an )?(scam|fake|fraud|con|lying)|\b(it's|its|it is|this is|he's|she's|they're) (a |an )?(genuine|legit|legitimate|real|regulated|licensed|registered) (broker|platform|company|site|app|investment|business|exchange|firm|bank|trader|opportunity)\b|\b(regulated|licensed|registered) (in|by) [a-z]+|\bthis (one |time |guy |platform |investment )?is different\b|\b(he|she|it|this one)('s| is) different\b|\bbetween me and (him|her|them|the (platform|company|broker|mentor|teacher)|my (broker|mentor|advisor|adviser|boyfriend|girlfriend|partner|teacher))\b/,
    },
    // "不是骗子", "not a scam": the denial is the signal. "他不相信我" is someone else doubting.
    ownNegation: { zh: /(不是|不会是|不可能是|怎么可能是|根本不是|绝对不是|才不是)|(不会|没有|没)骗|不一样|不同/g, en: /\b(not|isn't|isnt|aint|ain't|is not|definitely not|no way|can't be|cannot be|couldn't be) (a |an )?(scam|scammer|scammers|con|fraud|fake|ponzi|pyramid)\b|\bno way (he|she|they|it)\b|('d| would) never\b/g },
    veto: {
      zh: /(你们|你)(是不是|不是|才是|就是)[^，。]{0,3}(骗子|诈骗)|(怎么|如何)(知道|证明|确定)|提不(出来|了)|取不(出来|了)|(没|不)(能)?提现/,
      en: /\b(you|you're|youre|you are|your (text|message|call|number)|this (text|message|call|number))\b[^,.;!?]{0,6}\b(not|aren't|arent|isn't|isnt)\b|\bhow (do|can|would) (i|we|you) (know|tell|prove|be sure)|\bcan't withdraw|\bcant withdraw|\bcouldn't withdraw|\bwon't let me withdraw/,
    },
  },
  {
    // Inoculated: the other side said the centre would call, that these messages are the fraud, or to ignore us.
    name: 'inoculated',
    raises: 'mid_scam',
    obeys: true,
    pattern: {
      zh: new RegExp(
        `${SPEAKER_ZH}(早就|之前|提前|事先|已经|都|也|就|早|特意|专门)?(跟我们|跟我|和我们|和我|对我们|对我|给我们|给我)?(说|讲|告诉|提醒|交代|叮嘱|警告|嘱咐|打过招呼|预料|料到|猜到)(过)?(了)?(我)?[^。]{0,18}(你们|反诈|警察|公安|民警|96110|这种|这类|这些|这个|假警察|冒充|有人)[^。]{0,12}(假|骗|会打|会来|会联系|会发|会找|别理|不要理|不用理|不要信|别信|不要相信|不用管|别管|不要接|别接|不用回|别回|冒充|打电话|发短信)|(让|叫|要|教|嘱咐|交代)我(别|不要|不用|不能|千万别)(理|信|相信|接|回|回复|管|搭理|听)(你们|这种|这类|这些|反诈|警察|公安|短信|电话|陌生电话)|^说[^。]{0,6}(你们|反诈|警察|公安|民警|96110)[^。]{0,12}(会打|会来|会联系|会发|会找|是假|是骗|冒充)`,
      ),
      en: new RegExp(
        `${SPEAKER_EN}\\s+(already |even |also )?(said|says|told me|tells me|warned me|warned|mentioned|predicted|explained|were clear|was clear|let me know)\\b[^.!?]{0,50}\\b(you|scammers?|robots?|bots?|a machine|an automated|police|cops|the fraud|anti-?fraud|fraud cent(er|re)|96110|someone|people|fake|these (texts|messages|calls)|texts? like (this|these|yours)|messages? like (this|these|yours)|calls? like (this|these|yours)|this (would|will|might))\\b[^.!?]{0,40}\\b(call|calling|text|texting|message|contact|ring|pretend|pretending|impersonat|fake|scam|scammers|ignore|not (to )?(answer|reply|respond|trust|believe|listen))|\\b(told|instructed|asked|warned) me (to )?(ignore|not (to )?(answer|reply|respond to|trust|believe|listen to|pick up)|block)\\b[^.!?]{0,20}\\b(you|these|this|texts|messages|calls|police|anyone|unknown|fraud|warnings?)|\\b(i was|we were|i've been|ive been) (told|warned)\\b[^.!?]{0,30}\\b(you|police|fraud|someone|this|these)\\b|\\bexpected (you|this|your (call|text|message))`,
      ),
    },
    ownNegation: { zh: /(别|不要|不用|不能|千万别)(理|信|相信|接|回|回复|管|搭理|听)|不要信|别信|不要相信|不用管|别管|不要接|别接|不用回|别回|不要理|别理|不用理/g, en: /\bnot (to )?(answer|reply|respond|trust|believe|listen|pick up)/g },
  },
  {
    // Still with the other side right now: on the line, in a video call, "customer service is helping me, call later".
    name: 'on_the_line',
    raises: 'mid_scam',
    // "让我不要挂电话": the instruction not to hang up is the signal.
    ownNegation: { zh: /(不要|别|不能|千万别)挂/g, en: /\b(not to|don't|can't) hang up/g },
    pattern: {
      zh: new RegExp(
        `(正在|在|还在|正|一直在)(跟|和|与|同)?${HANDLER_ZH}(通话|打电话|电话里|视频|连线|语音|聊天|聊|处理|操作|办理|弄|对接|沟通|核对)|${HANDLER_ZH}(正在|在|还在|一直在|正|马上|这会儿|现在)(帮我|教我|指导我|陪我|等我|线上|电话里|视频里|跟我|给我|帮忙|处理|操作|弄)|(电话|视频|语音)(还)?(没挂|开着|挂着|连着|通着)|(开着|挂着|连着)(视频|电话|语音|会议)|(等|让)${HANDLER_ZH}(帮我|给我|那边)?(弄完|处理完|操作完|办完|忙完)|${HANDLER_ZH}(在|还在)?(另一个|另外一个|另一部|另一条)(电话|线)(上|里)?|(让|叫|要|说)(我)?(不要|别|不能|千万别)挂(电话|断)?|${HANDLER_ZH}[^，。]{0,6}(在线上|在线|还在等我|等着我)`,
      ),
      en: new RegExp(
        `\\b(on|still on|on hold on) (the|a|another|the other|my other) (line|call|phone)\\b[^,.;!?]{0,12}\\b(with|to)\\b[^,.;!?]{0,12}${HANDLER_EN}|\\b(in|on) (a|the) (video|zoom|whatsapp|teams|skype|facetime|telegram) (call|chat)\\b|${HANDLER_EN} (helping|assisting|walking|guiding|talking) me\\b|${HANDLER_EN}\\s*('s|'re| is| are) (still |currently |right now |now )?(on the (line|phone|call)|on hold|helping|assisting|walking me|guiding|talking me|processing|fixing|sorting|doing it|doing the|waiting for me|with me|here with me|in my (app|account|phone))|\\b(helping|walking|guiding|talking) me through\\b|\\b(i'm|i am) (still |currently |now |just )?(talking|speaking|chatting|texting|on (a |the )?(call|phone|line)|in (a |the )?call) (to|with) ${HANDLER_EN}|\\b(still|currently|right now) (talking|speaking|chatting|on (a |the )?(call|phone)) (to|with) ${HANDLER_EN}|\\b(still |currently |now )?(on hold|holding|waiting on the line) (with|for) (the |my )?${HANDLER_EN}|\\b(told|asked|wants|want|wanted) me (not to|to not|never to) hang up\\b|\\b(call|ring|text|message) (me )?(back )?(later|tomorrow|in an hour|after)\\b[^.!?]{0,40}\\b(helping|walking|guiding|processing|fixing|sorting it|doing it|on the (line|phone)) (me|with me|it)?|\\b(they|he|she)('re| are|'s| is) (still )?(on the (line|phone)|waiting on the line|listening)\\b|\\bin the middle of (it|the process|the refund|the transfer|verifying|the verification|the procedure|the upgrade|the investigation) with`,
      ),
    },
  },
  {
    // Deleting the anti-fraud app, the chat or the records because the other side said so.
    name: 'deleting_on_instruction',
    raises: 'mid_scam',
    obeys: true,
    pattern: {
      zh: /(删|删了|删掉|删除|卸载|卸了|卸掉|清空|清除|注销|关掉|关了)[^，。]{0,10}(反诈|国家反诈|反诈中心|全民反诈|96110|金钟罩|你们的(app|软件|程序))|(反诈|国家反诈|全民反诈|96110|金钟罩)[^，。]{0,10}(删|卸载|卸了|卸掉|清空|注销|关掉|关了)|(让|叫|要|要求|教|逼|提醒|嘱咐)(我)?(把)?[^，。]{0,10}(删|卸载|卸了|卸掉|清空|清除|删除)(掉|了)?[^，。]{0,10}(app|软件|程序|聊天记录|记录|短信|通话记录|微信|反诈|痕迹)?|(让|叫|要|要求|教|逼)(我)?(把)?[^，。]{0,12}(提醒|通知|动账|短信通知)[^，。]{0,2}(关|关掉|关了|关闭|取消)/,
      en: /\b(delete|deleted|deleting|uninstall|uninstalled|uninstalling|remove|removed|removing|got rid of|get rid of|turn off|turned off|disable|disabled)\b[^,.;!?]{0,30}\b(anti-?fraud|anti-?scam|fraud (app|cent(er|re) app|alert|warning)|police app|96110|national anti|scam ?shield|your app|the app you)|\b(told|asked|instructed|made|wants?|wanted|got|had) (me )?to (delete|uninstall|remove|wipe|clear|get rid of|erase|turn off|disable|switch off|mute)\b/,
    },
    veto: {
      zh: /(没|不|别|没有)(删|卸载|卸|清空)|(删|卸载|卸)(了|掉)[^，。]{0,6}(骗子|诈骗|那个(app|软件|平台)|他们的|他的|对方的)/,
      en: /\b(didn't|didnt|won't|wont|not going to|never|refused to|i said no)\b[^,.;!?]{0,12}\b(delete|uninstall|remove|wipe|clear)|\b(deleted|uninstalled|removed) (their|his|her|the scam|the fake|that scam|the dodgy)/,
    },
  },
  {
    // A terse answer to the warning's question "have you transferred any money?": a bare yes ("y", "有", "是的"), or
    // an amount with at most a few words around it ("£650 by bank transfer", "i have, 3k", "两万块"). Acknowledgements
    // ("ok", "yeah", "sure", "嗯") and bare numbers ("3", "666") are not answers.
    name: 'answers_paid',
    raises: 'already_paid',
    whole: true,
    pattern: {
      zh: new RegExp(`^((是|是的|是啊|是呀|有|有的|有啊|有呀|对|对的|对啊|对呀)(是的|有的|对的|有)?(${WHEN_ZH})*|(${TERSE_ZH})*(${AMOUNT_ANSWER_ZH})((${TERSE_ZH})|(${AMOUNT_ANSWER_ZH}))*)$`),
      en: new RegExp(`^((yes|y|ya|yah|yep|yup|yes i (have|did)|i (have|did)|yes (sent|paid|transferred)( it| them)?)( (${WHEN_EN}))*|(yeah|yea)( i (have|did))?( (${WHEN_EN}))+|((${TERSE_EN}) )*(${AMOUNT_ANSWER_EN})( ((${TERSE_EN})|(${AMOUNT_ANSWER_EN})))*)$`),
    },
  },
  {
    // "Not yet" with a when: the payment is still to come ("not yet, tomorrow", "还没 快了").
    name: 'not_yet_soon',
    raises: 'mid_scam',
    whole: true,
    pending: true,
    pattern: {
      zh: /^(还)?没(有|呢|有呢|转|转呢|付|交)?(但是|不过|可是)?(快了|马上|就要|快要|明天|明早|等会|等下|待会|一会|一会儿|晚点|下午|晚上|今晚|下班|准备|打算|正在|在弄|在办|在转)/,
      en: /^(no |nope |nah )?not yet( but)? (tomorrow|tonight|today|later|soon|after work|this (afternoon|evening|weekend|week)|in (a bit|a while|an hour|a few)|next week|on (monday|tuesday|wednesday|thursday|friday|saturday|sunday)|going to|gonna|about to|will|i will|i'll|working on it|in progress)\b/,
    },
  },
  {
    // A terse "doing it now" ("在操作了", "嗯嗯 在弄了 先不说", "transferring now, can't talk"): the payment under way.
    // Busy words (在忙, 在办事) are busy_later's.
    name: 'in_progress',
    raises: 'mid_scam',
    whole: true,
    pending: true,
    pattern: {
      zh: /^(嗯+|好|好的|对|是)?(我)?(正|还|已经)?在(弄|操作|转|搞|付|充|交)(了|呢|着|中)?(呢)?(先不说(了)?|等会(儿)?说|晚点说|一会(儿)?说|别打扰(我)?|别打了|回头说)?$/,
      en: /^(yeah |yes |ok |okay )?(i'm |i am )?(doing it|transferring( it| the money)?|paying( it| them)?|sending( it| the money)?|in the middle of (it|the transfer|the payment))( now| right now)?( (can't|cannot) talk( now)?| talk later| later| busy| don't call)?$/,
    },
  },
  {
    // Doing what the other side said: "I opened a new account like they asked", "按客服说的操作".
    name: 'follows_instructions',
    raises: 'mid_scam',
    // "I deleted the chats like he said": obeying them, so deleting and blocking words do not disarm it.
    obeys: true,
    pattern: {
      zh: /(按|按照|照|听)(着)?(他|她|他们|对方|客服|老师|导师|警官|警察|专员|那边|平台|检察官)(说|讲|教|要求|指示|安排|吩咐)(的)?(做|办|操作|弄|去|转|交|填|下载)|(按|按照|照)(着)?(他|她|他们|对方|客服|老师|导师|警官|警察|专员|那边|平台|检察官)的(要求|指示|步骤|流程|安排|意思)/,
      en: /\b(like|as|just as|just like|the way) (they|he|she|the (officer|agent|teacher|mentor|support|bank|caller|platform|police|prosecutor|broker|advisor)|customer service|support) (asked|told|said|instructed|wanted|showed)( me)?\b|\bfollow(ing|ed)? (their|his|her|the (officer's|agent's|teacher's|mentor's|broker's)) (instructions|steps|orders|directions|guidance)\b/,
    },
    veto: {
      zh: /(没|不|别|没有)(按|照|听)/,
      en: /\b(didn't|didnt|won't|wont|not|never|refused to) (do|follow)\b/,
    },
  },
];

const NEGATOR = {
  // A pause (a space in a transcript) ends a negator's reach: "别管我 我自己投的".
  zh: /(没|没有|还没|未|不|别|差点|差一点|本来|绝不|从不|拒绝)[^，。,.!?！？；;\s]{0,4}$/,
  en: /\b(not|never|no|didn't|didnt|don't|dont|won't|wont|haven't|havent|hasn't|wasn't|refuse|refused|refusing|without|nobody|nothing|almost|nearly|was going to|was gonna|was about to|whether|if|unless|otherwise|or else)\b[^,.!?;]{0,24}$/,
};
// A negator inside a match ("I will not pay", "准备先不转") scopes over the rest of it.
const SPAN_NEGATOR = {
  zh: /不|没|别|未|拒绝/,
  en: /\b(not|never|no|don't|dont|won't|wont|didn't|didnt|haven't|havent|can't|cant|refuse|refused|refusing)\b/,
};
// A clause that refuses what was asked ("I refused", "我没转", "no way") takes the pressure it follows off the table.
// Walking away from the other side, said as a clause of its own ("…, I left the group", "…，我就不做了"): like a
// refusal, it answers the pressure before it and nothing after.
const WALKED_AWAY = {
  zh: /^(我|我们|那我)?(就|也|直接|马上|当场|立马|赶紧|果断)*(取消了|不聊了|不做了|不干了|不弄了|不玩了|不理(他|她|他们|对方)?了|不管(他|她|他们)了|把(软件|app|链接|页面|群)(给)?(关|删|退)了|关掉了|退群了|退出了|没回(他|她|复)?|没填(信息|资料)?|没点|笑了|挂了|拉黑了|报警了|打了?110|自己打(了)?(110|银行电话|电话)(问)?(了)?)$/,
  en: /^(and |so |then )?(i |we )?(just |simply |immediately |straight away |then )?(left the (group|chat|whatsapp group|telegram group|app)|unmatched (him|her|them)|closed the (app|link|chat|page|window|tab)|put the phone down|cut (him|her|them) off|(i'm|i am|we're|we are) (done|out|finished)( with (him|her|it|them|this|that))?|stopped (there|replying|answering|talking to (him|her|them))|called (110|911|999|the police|my bank|the bank|my branch)( myself)?( instead)?|gave (him|her|them) neither|not touching it|hung up|blocked (him|her|them|the number|the guy)|ignored (it|him|her|them)|deleted (it|the app|the chat|him|her))$/,
};

const REFUSAL = {
  zh: /^(我|我就|我也|我才|我可|那我|我当时|我当然)?(已经|直接|当场|坚决|果断|当然|就|也|都|马上|立刻|根本|压根|绝对)*(拒绝了?|没(有)?(转|借|贷|给|交|付|充|弄|开|下载|装|同意|答应|照做|理|搭理|汇|去|信|上当)|不(会)?(去)?(转|借|贷|给|交|付|充|干|弄|汇|理|去|信)(了|的)?|才不(会)?(转|借|给|交|付|干|信|理)|说(了)?(不|不行|不要|不转|不借|不干|不可能|门都没有)|骂(回去|了他|了回去|他)|门都没有|想都别想|(一分|一分钱|一毛|一毛钱|一个子儿)(钱)?(都|也)(不|没)(会)?(给|转|交|付|出)|退(群|出)(了)?)(他|她|他们|对方|了|的|啊|呢|吧|呀|钱|他的要求|她的要求|群|那个群|这个群|一分钱|的话)*$/,
  en: /^(and |which |i just |i simply |so )?(i|i've|ive)\s*(just |simply |flat out |obviously |straight away |immediately )?(refused|declined|said no|said absolutely not|said no way|laughed|told (them|him|her) (to get lost|where to go|no|to go away)|turned (it|them|him|her) down|walked away|backed out|closed (the|their) (app|link|chat)|didn't|didnt|did not|won't|wont|will not|never did|am not going to|'m not going to|m not going to|'m not|m not|am not|don't|dont|do not)(( to)? (do it|do that|pay|send|transfer|borrow|take (it|one|the loan|a loan|out)|share|give (it|them|him|her)|install|download|agree|wire|deposit|go along)\b.*)?( (at|to) (him|her|them))?( straight away| right away| immediately)?$|^(no way|hell no|not a chance|not happening|nope|no chance|absolutely not)\b/,
};
// Payment still to come ("让我把钱转到…", "needs a deposit paid") is mid_scam's business, not already_paid's.
const NOT_YET = {
  zh: /(打算|准备|就要|马上|让我|叫我|要我|说要|才能|就能|想|要(?=[转交付打充汇存给])|先(?=[转交付打充汇存给])|再(?=[转交付打充汇存给]))[^，。]{0,12}$/,
  en: /\b(need|needs|needed|have to|has to|must|gonna|going to|will|about to|want|wants|before|until|to be)\b[^,.!?;]{0,20}$/,
};
const CONDITIONAL_AFTER = { zh: /^[^，。]{0,2}(就|才)(能|可以|会)/, en: /^ back\b/ };
const STATED_DONE = { zh: /(已经|刚刚|刚才|都|全部)$/, en: /\b(already|just)\s*$/ };
// Clauses break at punctuation, but not inside a figure ("$3,000", "2.5万"), and at "but", "then", "但是"…
const CLAUSE_BREAK = {
  zh: /[，。!?！？；;\n]|[,.](?!\d)|但是|但|可是|不过|结果|后来|然后|所以/,
  en: /[!?;\n]|[,.](?!\d)|\bbut\b|\bthough\b|\bhowever\b|\bthen\b|\bso\b|\band then\b|\band(?= (i|i've|ive|i'm|im)\b)/,
};

// A reply that has clearly seen through the scam ("他说要交保证金我就知道是骗子") does not get mid_scam cues.
const DISARM = {
  zh: /拉黑|挂了|挂断|删了|删掉|举报|报警了|报了警|报了110|不理|没理|没搭理|不会上当|没上当|不会信(?!你们|你|警察|反诈)|不玩了|退出|退了|退群|(知道|觉得|就是|肯定是|一听就|看出|明白|发现)(?![^，。]{0,4}(不是|不会|没|不可能|哪是))[^，。]{0,6}(骗|假的|不对)/,
  en: /blocked|hung up|deleted|reported|ignored|ignoring|not falling|won't fall|didn't fall|cut (all )?contact|i quit|(know|knew|realis|realiz|obviously|clearly|seen this|could tell)(?![^,.;!?]{0,16}\b(not|isn't|isnt|ain't|aint|wasn't|wasnt|no)\b).{0,20}(scam|fake|\bcon\b|trick)/,
};
const TERSE_MAX = 60;

// What comes after a contrast ("I know scams exist, but this one is different") is not disarmed by what came before.
const CONTRAST = { zh: /但是|但|可是|不过/, en: /\bbut\b|\bhowever\b|\bthough\b/ };

// Blocking, deleting and ignoring are what the other side tells a coached victim to do to us: for the cues about
// obeying them (inoculated, deleting_on_instruction), only having seen through the scam disarms.
const SEEN_THROUGH = {
  zh: /举报|报警了|报了警|报了110|不会上当|没上当|不玩了|(知道|觉得|就是|肯定是|一听就|看出|明白|发现)(?![^，。]{0,4}(不是|不会|没|不可能|哪是))[^，。]{0,6}(是骗|骗子|骗局|诈骗|假的)/,
  en: /reported (them|him|her|it)|not falling|won't fall|didn't fall|(know|knew|realis|realiz|obviously|clearly|seen this|could tell)(?![^,.;!?]{0,16}\b(not|isn't|isnt|ain't|aint|wasn't|wasnt|no)\b).{0,20}(scam|fake|\bcon\b|trick)/,
};
// What the other side made the citizen do ("让我把反诈APP删了", "told me to block this number") is no sign of seeing
// through the scam: it is taken out before looking for one.
const INSTRUCTED = {
  zh: /(让|叫|要|要求|教|逼|嘱咐|交代)我(把)?[^，。！？,.!?]{0,10}?(删|卸|拉黑|屏蔽|挂|别理|不要理|不理|退出)[^，。！？,.!?]{0,10}|(删|删了|删掉|卸载|卸了|卸掉)[^，。,.]{0,10}(反诈|96110|金钟罩)|(反诈|96110|金钟罩)[^，。,.]{0,10}(删|卸载|卸)(了|掉)?/g,
  en: /\b(told|asked|instructed|made|wanted|want|wants|got|had|warned) (me|us) to (block|delete|uninstall|remove|ignore|hang up|not answer|report)[^,.;!?]{0,30}|\b(deleted|uninstalled|removed)[^,.;!?]{0,20}(anti-?fraud|anti-?scam|police app|96110|your app)[^,.;!?]{0,10}/g,
};

// General questions ("安全账户是什么意思", "what's the risk of screen sharing") reveal no own risk.
const QUESTION = {
  zh: /什么|怎么(?!办)|怎样|如何|吗|么|是不是|会不会|能不能|为什么|哪|？|\?/,
  en: /\?|^(how|what|what's|whats|why|is|are|do|does|can|could|would|should|when|where|which|any)\b/,
};
// "怎么可能是骗子", "how can it be a scam": a rhetorical question that vouches for the other side, not a general one.
const RHETORICAL = {
  zh: /(怎么|哪)(可能|会)(是)?(骗|假|诈骗|传销)|哪(里|儿)(是|像)(骗|假)/,
  en: /\bhow (can|could|would) (it|this|that|he|she|they) (be|possibly be) (a |an )?(scam|fake|fraud|con|lying)|\bno way (he|she|they|it)('s| is| are|'re|s) (lying|scamming|a scam|a scammer|fake)/,
};
const INVOLVED = {
  zh: /我(?!怎么|要怎么|应该|想问|该怎么)|转过去的钱|打过去的钱|刚刚|刚才|昨天|前天|今天|被骗(了|走)|(转|付|给|交|汇|充)(了|过)|一共|总共|(那边|他们|他|她|对方|老师|客服|平台)(说|让|叫|要)/,
  en: /\b(told me|asked me|wants me|want me|me to|i'm|im|i am|i've|ive|i have to|i need to|i must|i sent|i paid|i transferred|my money|should i|do i (give|send|pay)|(they|he|she) (want|wants|said|says|told|warned)|my (boyfriend|girlfriend|mentor|teacher|broker|advisor|adviser|partner))\b/,
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
      // "the job paid me 20": money that came to the citizen.
      if (locale === 'en' && /^\s+(me|us)\b/.test(clause.slice((m.index ?? 0) + m[0].length))) continue;
      if (!STATED_DONE[locale].test(before) && NOT_YET[locale].test(before)) continue;
      if (CONDITIONAL_AFTER[locale].test(clause.slice((m.index ?? 0) + m[0].length))) continue;
    }
    return true;
  }
  return false;
}

// The reply talks about us, the centre, or checking who we are ("你们是骗子吧", "how do I know you're real").
const ABOUT_US = {
  zh: /(你们|你|这(条|个)?(短信|电话|号码)|反诈中心)[^，。,.]{0,6}(骗子|诈骗|假的|是真的|真的假的|冒充|钓鱼)|(怎么|如何|凭什么)(证明|知道|确定|核实|相信|信)|核实|查一下|查查|先问问|打96110|打110问/,
  en: /\b(you|you're|youre|your (text|message|call|number)|this (text|message|call|number))\b[^,.;!?]{0,14}\b(scam|scammers?|fake|real|legit|phishing|police)\b|\bhow (do|can|would|should) (i|we) (know|tell|be sure|trust|believe)|\bprove\b|\bverify\b|\bcheck (this|first|with|on)\b|\bcall (the station|96110|110|911|the police) (myself|first|to check)/,
};

export interface Analysis {
  /** The cue rules that fire. */
  cues: CueRule[];
  /** What the cue machinery saw, as features for the statistical model ("c:vouches", "s:refusal", …). */
  features: string[];
}

/** The cue rules that fire, and the signals around them, for one reply. */
export function analyse(text: string, locale: NluLocale): Analysis {
  // A leading "no" answers us ("no no it's not a scam"): it does not negate the statement after it.
  const spoken = expandShorthand(canonical(text), locale).replace(/^((um+|uh+|er+|so|like|嗯+|呃+|那个|啊)[\s,，]*)+/, '');
  const t = locale === 'en' ? spoken.replace(/^((no|nope|nah)[\s,]+)+(?=(i|i'm|it|it's|its|he|he's|she|she's|they|they're|we|that|this|you)\b)/, '') : spoken;
  const question = QUESTION[locale].test(t);
  const generalQuestion = question && !INVOLVED[locale].test(t) && !RHETORICAL[locale].test(t);
  // Clauses, each with the contrast segment it sits in (CLAUSE_BREAK breaks at every contrast word too).
  const segments = t.split(CONTRAST[locale]);
  const located = segments.flatMap((seg, k) => clauses(seg, locale).map((c) => ({ c, k })));
  const parts = located.map((x) => x.c);
  // A refusal answers the pressure before it ("他让我转，我拒绝了"); pressure after it is still pressure
  // ("我没转钱，不过准备明天转过去").
  const lastRefusal = parts.reduce((at, c, i) => (REFUSAL[locale].test(c.trim()) || WALKED_AWAY[locale].test(c.trim()) ? i : at), -1);
  // Seeing through the scam disarms the pressure before it and in its own stretch, not what a later "but" brings.
  const disarmedFrom = segments.map((seg) => DISARM[locale].test(seg.replace(INSTRUCTED[locale], ' ')));
  const disarmedAt = segments.map((_, k) => disarmedFrom.slice(k).some(Boolean));
  // disarmedAt only falls from the first stretch to the last: the first says anywhere, the last says everywhere.
  const disarmed = disarmedAt[0]!;
  const disarmedAll = disarmedAt.at(-1)!;
  const whole = t.length <= 2 * TERSE_MAX ? t.replace(/[^\p{L}\p{N}\s$£€¥']/gu, ' ').replace(/\s+/g, locale === 'zh' ? '' : ' ').trim() : '';
  const seenThrough = SEEN_THROUGH[locale].test(t);
  const noPayment = NO_PAYMENT[locale].test(t);
  const cues = CUE_RULES.filter((rule) => {
    if (generalQuestion) return false;
    if (rule.raises === 'mid_scam' && rule.obeys && seenThrough) return false;
    if (rule.raises === 'mid_scam' && !rule.obeys && disarmedAll) return false;
    if (rule.raises === 'already_paid' && noPayment) return false;
    // Terse answers are short: a long reply is not one, and its text need not be matched.
    if (rule.whole) return whole !== '' && whole.length <= TERSE_MAX && rule.pattern[locale].test(whole);
    // A veto answers what comes before it: "我没转钱，不过准备明天转" is still a payment to come.
    const veto = rule.veto?.[locale];
    return parts.some((c, i) => {
      if (rule.raises === 'mid_scam' && i < lastRefusal) return false;
      if (rule.raises === 'mid_scam' && !rule.obeys && disarmedAt[located[i]!.k]) return false;
      if (veto && veto.test(parts.slice(i).join(' '))) return false;
      return firesIn(c, rule, locale);
    });
  });
  const features = cues.map((c) => `c:${c.name}`);
  if (lastRefusal >= 0) features.push('s:refusal');
  // The reply ends on its resolution (a refusal, walking away, seeing through it, no money gone): what the model
  // weighs against the scam words of the story before it.
  const last = parts.at(-1)?.trim() ?? '';
  if (lastRefusal >= 0 && lastRefusal === parts.length - 1) features.push('s:ends_refusal');
  if (last && (DISARM[locale].test(last) || SEEN_THROUGH[locale].test(last) || NO_PAYMENT[locale].test(last))) features.push('s:ends_resolved');
  if (disarmed) features.push('s:disarm');
  if (seenThrough) features.push('s:seen_through');
  if (noPayment) features.push('s:no_payment');
  if (question) features.push('s:question');
  if (generalQuestion) features.push('s:general_question');
  if (ABOUT_US[locale].test(t)) features.push('s:about_us');
  return { cues, features };
}

/** Names of the cue rules that fire, with the intent each would raise to. */
export function detectCues(text: string, locale: NluLocale): CueRule[] {
  return analyse(text, locale).cues;
}
