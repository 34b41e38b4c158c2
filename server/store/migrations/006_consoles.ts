// The consoles: each person's preferences (language, alerts), internal notes on a case, and the desk's
// canned replies per citizen language (seeded with a first set the centre can change).
import type { Kysely } from 'kysely';
import type { Dialect } from '../db';

/** The first canned replies. Placeholders are filled per case: {name} {case_ref} {officer} {centre_name} {callback_number}. */
export const SEED_CANNED_REPLIES: { locale: 'zh' | 'en'; title: string; body: string }[] = [
  { locale: 'zh', title: '表明身份', body: '{name}您好，我是{centre_name}民警{officer}。您的案件编号是{case_ref}。您可以挂断后拨打110或{callback_number}核实我的身份。' },
  { locale: 'zh', title: '立即停止转账', body: '请立即停止向对方转账，也不要再和对方联系。公安机关不会要求您把钱转到任何“安全账户”，也不会在电话里办案。' },
  { locale: 'zh', title: '已转账：马上止付', body: '如果您已经转账，请告诉我转账的时间、金额和收款账户，我们马上协助您止付。请不要向任何人透露验证码或密码。' },
  { locale: 'zh', title: '稍后回电', body: '我稍后会给您打电话，来电显示为{centre_name}的号码。您也可以拨打{callback_number}，报案件编号{case_ref}。' },
  { locale: 'en', title: 'Who we are', body: 'Hello {name}, this is officer {officer} of {centre_name}. Your case number is {case_ref}. You can hang up and call 110 or {callback_number} to check who I am.' },
  { locale: 'en', title: 'Stop paying now', body: 'Please stop sending money to them now and do not contact them again. The police never ask you to move money to a "safe account" and never investigate over the phone.' },
  { locale: 'en', title: 'Paid: stop-payment', body: 'If you have already sent money, tell me when, how much and to which account, and we will ask the bank to stop it at once. Never give anyone a verification code or password.' },
  { locale: 'en', title: 'I will call you', body: 'I will call you shortly from the {centre_name} number. You can also call {callback_number} and quote case {case_ref}.' },
];

export async function up(db: Kysely<any>, _dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('user_preferences')
    .addColumn('user_id', 'text', (c) => c.primaryKey().references('users.id').onDelete('cascade'))
    .addColumn('locale', 'text', (c) => c.notNull())
    .addColumn('alert_sound', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('alert_desktop', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('case_notes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id').onDelete('cascade'))
    .addColumn('author', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('case_notes_case').on('case_notes').columns(['case_id', 'created_at']).execute();

  await db.schema
    .createTable('canned_replies')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('locale', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('canned_replies_locale').on('canned_replies').columns(['locale', 'position']).execute();

  const now = new Date().toISOString();
  await db
    .insertInto('canned_replies')
    .values(
      SEED_CANNED_REPLIES.map((r, i) => ({
        id: `seed-${r.locale}-${i + 1}`,
        locale: r.locale,
        title: r.title,
        body: r.body,
        position: i + 1,
        updated_by: 'seed',
        updated_at: now,
      })),
    )
    .execute();
}
