// The message catalogue: every system text in every locale, checked like a flow.
import fs from 'node:fs';
import { CATALOGUE_FILE, MESSAGE_IDS, parseCatalogue, systemText } from '../../../flows/engine/messages';

const shipped = fs.readFileSync(CATALOGUE_FILE, 'utf8');

test('the shipped catalogue has every message in zh and en', () => {
  const r = parseCatalogue(shipped, 'catalogue.yaml');
  expect(r.issues).toEqual([]);
  for (const id of MESSAGE_IDS) for (const l of ['zh', 'en'] as const) expect([id, l, r.catalogue![id][l].length > 0]).toEqual([id, l, true]);
  expect(systemText('telegram.help', 'en', { callback_number: '96110' })).toContain('Official call-back number: 96110');
  expect(systemText('telegram.help', 'zh', { callback_number: '96110' })).toContain('官方回拨电话：96110');
});

test('a missing locale, an unknown placeholder, a link, an unknown or missing message are errors', () => {
  const broken = shipped
    .replace('  human:\n    zh: "已通知民警，会尽快与您联系。在此之前请不要转账。"\n', '  human:\n')
    .replace('官方回拨电话：{callback_number}', '官方回拨电话：{callbak}')
    .replace('如有疑问请拨打{callback_number}。"\n    en: "You will get our texts again.', '详见 www.example.cn"\n    en: "You will get our texts again.')
    .replace('  goodbye:', '  farewell:');
  const rules = parseCatalogue(broken, 'c.yaml').issues.map((i) => `${i.rule} ${i.message}`);
  expect(rules).toEqual([
    'unknown_template_variable unknown placeholder {callbak} in telegram.help.zh',
    "missing_locale_text no 'zh' text for message 'telegram.human'",
    "unknown_message message 'voice.farewell' is not one the code sends",
    'link_in_text link "www." in sms.opted_in.zh: we never send links',
    "missing_message message 'voice.goodbye' is missing",
  ]);
});
