// npm run user:add -- --username li.wei --role desk [--name "李伟"] [--phone +8613…] [--password …] [--update]
// The password comes from --password, else QUANZU_NEW_PASSWORD, else a hidden prompt when run in a terminal.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { openStore } from '../store/db';
import { hashPassword, passwordProblem } from '../people/passwords';
import { findUserByUsername, insertUser, updateUser, USER_ROLES, type UserRole } from '../store/repositories/users';
import { deleteSessionsOfUser } from '../store/repositories/sessions';
import { audit } from '../store/repositories/audit';
import { normalisePhone } from '../cases/phone';
import { getUnitByCode } from '../store/repositories/units';
import { ACCESS_ROLE, UNIT_ROLES, type UnitRole } from '../org/people';

const USAGE = `usage: npm run user:add -- --username <name> --role <${USER_ROLES.join('|')}> [--name <display name>] [--phone <E.164>] [--password <pw>] [--update]
                [--unit <unit code>] [--unit-role <desk_officer|supervisor|station_officer|manager|admin>]
  password: --password, else the QUANZU_NEW_PASSWORD environment variable, else asked for when run in a terminal
  --update: change an existing user's role, name, phone or password (and sign them out everywhere)
  database: DATABASE_URL (and DATABASE_SCHEMA), as for the server`;

export class UsageError extends Error {}

export interface UserAddResult {
  created: boolean;
  username: string;
  role: UserRole;
}

async function promptHidden(question: string): Promise<string> {
  const stdin = process.stdin;
  process.stderr.write(question);
  stdin.setRawMode?.(true);
  stdin.resume();
  stdin.setEncoding('utf8');
  return new Promise((resolve, reject) => {
    let value = '';
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n' || ch === '\u0004') {
          stdin.off('data', onData);
          stdin.setRawMode?.(false);
          stdin.pause();
          process.stderr.write('\n');
          return resolve(value);
        }
        if (ch === '\u0003') {
          stdin.setRawMode?.(false);
          process.stderr.write('\n');
          return reject(new UsageError('cancelled'));
        }
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else value += ch;
      }
    };
    stdin.on('data', onData);
  });
}

async function readPassword(given: string | undefined, env: NodeJS.ProcessEnv, interactive: boolean): Promise<string> {
  if (given !== undefined) return given;
  if (env.QUANZU_NEW_PASSWORD) return env.QUANZU_NEW_PASSWORD;
  if (!interactive) throw new UsageError('no password given: pass --password <pw>, set QUANZU_NEW_PASSWORD, or run in a terminal to be asked');
  const first = await promptHidden('Password: ');
  const again = await promptHidden('Password again: ');
  if (first !== again) throw new UsageError('the two passwords differ; nothing was changed');
  return first;
}

export async function userAdd(argv: string[], env: NodeJS.ProcessEnv = process.env, interactive = !!process.stdin.isTTY): Promise<UserAddResult> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        username: { type: 'string' },
        role: { type: 'string' },
        name: { type: 'string' },
        phone: { type: 'string' },
        password: { type: 'string' },
        update: { type: 'boolean', default: false },
        unit: { type: 'string' },
        'unit-role': { type: 'string' },
      },
      strict: true,
    }));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const username = values.username?.trim().toLowerCase();
  if (!username) throw new UsageError('--username is required');
  if (!/^[a-z0-9][a-z0-9._-]{1,62}$/.test(username)) throw new UsageError(`--username "${values.username}" may hold only letters, digits, ".", "_" and "-" (2-63 characters)`);
  if (values.role !== undefined && !USER_ROLES.includes(values.role as UserRole)) throw new UsageError(`--role must be one of ${USER_ROLES.join(', ')}; got "${values.role}"`);
  // Organisation (issue 15): a role in a unit gives the console access (desk officers and supervisors the desk, station officers the station page).
  const unitRole = values['unit-role'] as UnitRole | undefined;
  if (unitRole !== undefined && !UNIT_ROLES.includes(unitRole)) throw new UsageError(`--unit-role must be one of ${UNIT_ROLES.join(', ')}; got "${unitRole}"`);
  if (unitRole && values.role && ACCESS_ROLE[unitRole] !== values.role) throw new UsageError(`--unit-role ${unitRole} gives the ${ACCESS_ROLE[unitRole]} role: leave out --role or make it ${ACCESS_ROLE[unitRole]}`);
  if (unitRole) values.role = ACCESS_ROLE[unitRole];
  if (!values.update && values.role === undefined) throw new UsageError(`--role is required (${USER_ROLES.join(', ')})`);
  let phone: string | undefined;
  if (values.phone !== undefined) {
    const p = normalisePhone(values.phone, (env.DEFAULT_REGION ?? 'CN').toUpperCase());
    if (!p.ok) throw new UsageError(`--phone "${values.phone}" is not a valid phone number`);
    phone = p.e164;
  }

  const store = await openStore({ url: env.DATABASE_URL || `sqlite://${path.resolve('data', 'quanzu.sqlite')}`, schema: env.DATABASE_SCHEMA || undefined });
  try {
    const unit = values.unit !== undefined ? await getUnitByCode(store.db, values.unit.trim()) : undefined;
    if (values.unit !== undefined && !unit) throw new UsageError(`--unit: no unit ${values.unit} (the app loads org/units.yaml into the database when it starts; start it once, or add the unit with POST /api/org/units)`);
    const placement = { ...(unit ? { unit_id: unit.id } : {}), ...(unitRole ? { unit_role: unitRole } : {}) };
    const existing = await findUserByUsername(store.db, username);
    if (existing && !values.update) throw new UsageError(`user "${username}" already exists; add --update to change their role, phone or password`);
    if (!existing && values.update) throw new UsageError(`user "${username}" does not exist; leave out --update to create them`);
    const wantsPassword = !existing || values.password !== undefined || !!env.QUANZU_NEW_PASSWORD;
    let passwordHash: string | undefined;
    if (wantsPassword) {
      const password = await readPassword(values.password, env, interactive);
      const problem = passwordProblem(password);
      if (problem) throw new UsageError(problem);
      passwordHash = await hashPassword(password);
    }
    if (existing) {
      await updateUser(store.db, existing.id, {
        ...(values.role ? { role: values.role as UserRole } : {}),
        ...(values.name !== undefined ? { display_name: values.name } : {}),
        ...(phone ? { phone } : {}),
        ...(passwordHash ? { password_hash: passwordHash } : {}),
        ...placement,
      });
      if (passwordHash || values.role || unit) await deleteSessionsOfUser(store.db, existing.id);
      await audit(store.db, { actor: 'cli', action: 'user_updated', detail: { username, role: values.role ?? existing.role, password: !!passwordHash } });
      return { created: false, username, role: (values.role as UserRole) ?? existing.role };
    }
    const user = await insertUser(store.db, { username, role: values.role as UserRole, passwordHash: passwordHash!, displayName: values.name ?? null, phone: phone ?? null, unitId: unit?.id ?? null, unitRole: unitRole ?? null });
    await audit(store.db, { actor: 'cli', action: 'user_created', detail: { username, role: user.role } });
    return { created: true, username, role: user.role };
  } finally {
    await store.close();
  }
}

if (require.main === module) {
  userAdd(process.argv.slice(2)).then(
    (r) => {
      console.log(`${r.created ? 'created' : 'updated'} user ${r.username} (${r.role})`);
    },
    (err) => {
      if (err instanceof UsageError) {
        console.error(`user:add: ${err.message}\n${USAGE}`);
        process.exit(2);
      }
      console.error(err);
      process.exit(1);
    },
  );
}
