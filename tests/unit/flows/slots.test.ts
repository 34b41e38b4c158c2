// Remembered answers: the payment slots heard on every reply, and a slot question's answer read as that slot.
import { answerFor, heardSlots } from '../../../flows/engine/slots';

const none = { amounts: [], methods: [], times: [], accounts: [] };

test('every payment detail heard becomes a slot', () => {
  expect(heardSlots({ amounts: [30000], methods: ['bank_transfer'], times: ['昨天'], accounts: ['6222020200112233445'] })).toEqual({
    amount: '30000',
    method: 'bank_transfer',
    time: '昨天',
    account: '6222020200112233445',
  });
  expect(heardSlots(none)).toEqual({});
});

test('an answer to a slot question is read as that slot', () => {
  expect(answerFor('amount', '3万', { ...none, amounts: [30000] })).toBe('30000');
  expect(answerFor('amount', '30,000', none)).toBe('30000');
  expect(answerFor('amount', '¥5000元', none)).toBe('5000');
  expect(answerFor('amount', '不记得', none)).toBeUndefined();
  // The time is kept as said: the extraction only picks out its time words.
  expect(answerFor('time', '昨天晚上八点', { ...none, times: ['昨天', '晚上'] })).toBe('昨天晚上八点');
  expect(answerFor('time', '等一下再说', none)).toBeUndefined();
  expect(answerFor('method', '银行卡', { ...none, methods: ['bank_transfer'] })).toBe('bank_transfer');
  expect(answerFor('method', '通过一个APP', none)).toBeUndefined();
});
