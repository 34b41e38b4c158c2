// The intake's `name` is upstream text: it goes into police-branded SMS and speech only if it looks
// like a person's name. Anything else (markup, links, numbers, a sentence) gives a neutral greeting.

// The commonest Chinese surnames (the Hundred Family Surnames and today's frequent ones), single and
// compound. A Han name must start with one of them.
const SINGLE_SURNAMES =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤' +
  '常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝' +
  '封井步宓鞠乐阎芮焉茅储仝宣贝蔺郁戈鄢胥况璩伏丰胡晋帅雍邰燕寿弓权谈广慕诸浦钮尉竺郦厉乜东归钭巴荀劳暴红逯蹇练禹盖蔚索植来东郗越隆訾昌';
const COMPOUND_SURNAMES = ['欧阳', '司马', '上官', '诸葛', '东方', '皇甫', '尉迟', '公孙', '慕容', '长孙', '宇文', '司徒', '令狐', '夏侯', '轩辕', '端木', '南宫', '独孤', '西门', '百里', '呼延', '澹台', '公冶', '宗政', '濮阳', '太史', '申屠', '钟离', '闻人', '赫连'];

const HAN = /^\p{Script=Han}+$/u;
// Names of China's minorities are often transliterated with a middle dot: 阿卜杜拉·买买提.
const HAN_DOTTED = /^\p{Script=Han}{1,10}(?:[·•]\p{Script=Han}{1,10}){1,3}$/u;
const LATIN_WORD = /^\p{Script=Latin}[\p{Script=Latin}'’-]*\.?$/u;
/** Lower-case words allowed inside a Latin name. */
const PARTICLES = new Set(['de', 'da', 'di', 'du', 'van', 'von', 'der', 'den', 'la', 'le', 'bin', 'binti', 'al', 'el', 'dos', 'das', 'del', 'y']);

/** The name as it may be used in a prompt, or undefined when it does not look like a person's name. */
export function usablePersonName(raw: string | null | undefined): string | undefined {
  if (!raw) return undefined;
  let name = raw.normalize('NFKC').replace(/\s+/g, ' ').trim();
  if (!name || name.length > 40) return undefined;
  // "李 娜": spaces mean nothing between Han characters.
  if (HAN.test(name.replace(/ /g, ''))) name = name.replace(/ /g, '');
  if (HAN.test(name)) {
    const surname = COMPOUND_SURNAMES.some((s) => name.startsWith(s)) ? 2 : SINGLE_SURNAMES.includes(name[0]!) ? 1 : 0;
    return surname > 0 && name.length >= 2 && name.length <= surname + 3 ? name : undefined;
  }
  if (HAN_DOTTED.test(name)) return [...name].length <= 16 ? name : undefined;
  const words = name.split(' ');
  if (words.length > 4 || !words.every((w) => LATIN_WORD.test(w))) return undefined;
  const capitalised = (w: string) => w[0] === w[0]!.toLocaleUpperCase() && w[0] !== w[0]!.toLocaleLowerCase();
  const first = words[0]!;
  const last = words[words.length - 1]!;
  if (!capitalised(first) || !capitalised(last)) return undefined;
  if (!words.every((w) => capitalised(w) || PARTICLES.has(w.toLowerCase()))) return undefined;
  return name.replace(/[^\p{L}]/gu, '').length >= 2 ? name : undefined;
}
