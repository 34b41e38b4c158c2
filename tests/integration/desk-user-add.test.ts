// `npm run user:add` creates people who can sign in; its mistakes are explained.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import path from 'node:path';
import { userAdd } from '../../server/cli/user-add';
import { openStore } from '../../server/store/db';
import { verifyPassword } from '../../server/people/passwords';
import { sqliteDatabase, type TestDatabase } from '../support/databases';
import { seedUnitsFromFile } from '../../server/store/repositories/units';
import { loadUnitsFile } from '../../server/org/units-file';

describe('user:add', () => {
  let db: TestDatabase;
  let env: NodeJS.ProcessEnv;
  beforeAll(() => {
    db = sqliteDatabase();
    env = { ...db.env };
  });
  afterAll(() => db.cleanup());

  const user = async (username: string) => {
    const store = await openStore({ url: db.env.DATABASE_URL });
    try {
      return await store.db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
    } finally {
      await store.close();
    }
  };

  it('creates a desk user with the password from QUANZU_NEW_PASSWORD, hashed', async () => {
    expect(await userAdd(['--username', 'Li.Wei', '--role', 'desk', '--name', '李伟', '--phone', '139 1111 2222'], { ...env, QUANZU_NEW_PASSWORD: 'a long passphrase' }, false)).toEqual({ created: true, username: 'li.wei', role: 'desk' });
    const u = await user('li.wei');
    expect(u).toMatchObject({ role: 'desk', display_name: '李伟', phone: '+8613911112222', disabled_at: null });
    expect(await verifyPassword('a long passphrase', u!.password_hash)).toBe(true);
    expect(await verifyPassword('a long passphrasE', u!.password_hash)).toBe(false);
  });

  it.each([
    [['--role', 'desk', '--password', 'long enough pw'], '--username is required'],
    [['--username', 'x1', '--password', 'long enough pw'], '--role is required (desk, station, manager, admin)'],
    [['--username', 'x1', '--role', 'chief', '--password', 'long enough pw'], '--role must be one of desk, station, manager, admin; got "chief"'],
    [['--username', 'x1', '--role', 'desk', '--password', 'short'], 'password must be at least 10 characters'],
    [['--username', 'x1', '--role', 'desk'], 'no password given: pass --password <pw>, set QUANZU_NEW_PASSWORD, or run in a terminal to be asked'],
    [['--username', 'li.wei', '--role', 'desk', '--password', 'long enough pw'], 'user "li.wei" already exists; add --update to change their role, phone or password'],
    [['--username', 'nobody', '--update', '--password', 'long enough pw'], 'user "nobody" does not exist; leave out --update to create them'],
    [['--username', 'x1', '--role', 'desk', '--phone', '12345', '--password', 'long enough pw'], '--phone "12345" is not a valid phone number'],
    [['--username', 'a b', '--role', 'desk', '--password', 'long enough pw'], '--username "a b" may hold only letters, digits, ".", "_" and "-" (2-63 characters)'],
  ])('refuses %j: %s', async (argv, message) => {
    await expect(userAdd(argv, env, false)).rejects.toThrow(message);
  });

  it('places a person in a unit with a role (organisation, issue 15)', async () => {
    const store = await openStore({ url: db.env.DATABASE_URL });
    try {
      await seedUnitsFromFile(store.db, loadUnitsFile(path.resolve(__dirname, '../../org/units.example.yaml')));
    } finally {
      await store.close();
    }
    const pw = { ...env, QUANZU_NEW_PASSWORD: 'a long passphrase' };
    expect(await userAdd(['--username', 'wu.gang', '--unit', 'd01-s01', '--unit-role', 'station_officer'], pw, false)).toEqual({ created: true, username: 'wu.gang', role: 'station' });
    expect(await user('wu.gang')).toMatchObject({ role: 'station', unit_role: 'station_officer' });
    await expect(userAdd(['--username', 'x2', '--role', 'desk', '--unit', 'D09'], pw, false)).rejects.toThrow('--unit: no unit D09 (the app loads org/units.yaml into the database when it starts; start it once, or add the unit with POST /api/org/units)');
    await expect(userAdd(['--username', 'x2', '--role', 'manager', '--unit-role', 'supervisor'], pw, false)).rejects.toThrow('--unit-role supervisor gives the desk role: leave out --role or make it desk');
    await expect(userAdd(['--username', 'x2', '--unit-role', 'chief'], pw, false)).rejects.toThrow('--unit-role must be one of desk_officer, supervisor, station_officer, manager, admin; got "chief"');
  });

  it('updates a role and password with --update', async () => {
    expect(await userAdd(['--username', 'li.wei', '--role', 'manager', '--password', 'another passphrase', '--update'], env, false)).toEqual({ created: false, username: 'li.wei', role: 'manager' });
    const u = await user('li.wei');
    expect(u!.role).toBe('manager');
    expect(await verifyPassword('another passphrase', u!.password_hash)).toBe(true);
  });

  it('runs as `npm run user:add` and exits 2 with the usage on a mistake', async () => {
    const run = promisify(execFile);
    const cwd = path.resolve(__dirname, '..', '..');
    const ok = await run('npx', ['tsx', 'server/cli/user-add.ts', '--username', 'desk1', '--role', 'desk'], { cwd, env: { ...process.env, ...env, QUANZU_NEW_PASSWORD: 'desk one passphrase' } });
    expect(ok.stdout).toBe('created user desk1 (desk)\n');
    const bad = await run('npx', ['tsx', 'server/cli/user-add.ts', '--username', 'desk1', '--role', 'desk'], { cwd, env: { ...process.env, ...env, QUANZU_NEW_PASSWORD: 'desk one passphrase' } }).catch((e) => e);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^user:add: user "desk1" already exists; add --update to change their role, phone or password\nusage: npm run user:add -- --username <name> --role <desk\|station\|manager\|admin>/);
  });
});
