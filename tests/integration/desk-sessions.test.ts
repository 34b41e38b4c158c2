// People sign in with a password; sessions are cookies with CSRF tokens; logins are throttled; API keys still work.
import { PASSWORD, Person, addUser, startDeskHarness, type DeskHarness } from './desk-harness';

describe('desk sessions', () => {
  let h: DeskHarness;
  beforeAll(async () => {
    h = await startDeskHarness();
    await addUser(h.store, 'alice', 'desk', { displayName: '李警官' });
    await addUser(h.store, 'bob', 'desk');
    await addUser(h.store, 'carol', 'manager');
  });
  afterAll(() => h.close());

  it('signs in with the right password and sets an httpOnly, SameSite=Lax session cookie', async () => {
    const p = new Person(h.baseUrl);
    const res = await p.login('Alice');
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.user).toEqual({ id: expect.any(String), username: 'alice', role: 'desk', displayName: '李警官', hasPhone: false });
    expect(body.csrfToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const cookie = res.headers.getSetCookie()[0]!;
    expect(cookie).toMatch(/^qz_session=[A-Za-z0-9_-]{43}; /);
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; SameSite=Lax/);
    expect(cookie).not.toMatch(/; Secure/);
    const me = await p.json('GET', '/api/session');
    expect(me).toEqual({ status: 200, body: { user: body.user, csrfToken: body.csrfToken } });
  });

  it('stores only a salted scrypt hash of the password and a hash of the session id', async () => {
    const users = await h.store.db.selectFrom('users').select(['username', 'password_hash']).where('username', 'in', ['alice', 'bob']).orderBy('username').execute();
    for (const u of users) {
      expect(u.password_hash).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9+/=]{24}\$[A-Za-z0-9+/=]{44}$/);
      expect(u.password_hash).not.toContain(PASSWORD);
    }
    expect(users[0]!.password_hash.split('$')[4]).not.toBe(users[1]!.password_hash.split('$')[4]);
    const p = new Person(h.baseUrl);
    await p.login('bob');
    const cookieValue = p.cookie!.split('=')[1]!;
    const stored = await h.store.db.selectFrom('sessions').select('id_hash').execute();
    expect(stored.map((x) => x.id_hash)).not.toContain(cookieValue);
    expect(stored.every((x) => /^[0-9a-f]{64}$/.test(x.id_hash))).toBe(true);
  });

  it('refuses a wrong password and an unknown user with the same answer', async () => {
    const wrong = await new Person(h.baseUrl, '10.0.0.1').request('POST', '/api/session', { username: 'alice', password: 'not the password' });
    const unknown = await new Person(h.baseUrl, '10.0.0.1').request('POST', '/api/session', { username: 'mallory', password: 'whatever123' });
    for (const res of [wrong, unknown]) {
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual({ error: 'invalid_credentials', message: 'wrong username or password' });
      expect(res.headers.getSetCookie()).toEqual([]);
    }
  });

  it('refuses a state-changing request made with the session cookie but without the CSRF token', async () => {
    const p = new Person(h.baseUrl);
    await p.login('alice');
    const none = await p.request('DELETE', '/api/session', undefined, { csrf: null });
    expect(none.status).toBe(403);
    expect(await none.json()).toEqual({ error: 'csrf_token_invalid', message: 'missing or wrong X-CSRF-Token header: reload the page and try again' });
    const wrong = await p.request('DELETE', '/api/session', undefined, { csrf: 'x'.repeat(43) });
    expect(wrong.status).toBe(403);
    expect((await p.json('GET', '/api/session')).status).toBe(200);
  });

  it('signs out: the cookie no longer opens a session', async () => {
    const p = new Person(h.baseUrl);
    await p.login('alice');
    const stolen = p.cookie;
    expect((await p.request('DELETE', '/api/session')).status).toBe(204);
    const again = new Person(h.baseUrl);
    again.cookie = stolen;
    const res = await again.json('GET', '/api/session');
    expect(res).toEqual({ status: 401, body: { error: 'authentication_required', message: 'not signed in' } });
  });

  it('throttles logins per address and user: the 6th attempt in a minute gets 429, even with the right password', async () => {
    const p = new Person(h.baseUrl);
    const attempt = (password: string) =>
      fetch(`${h.baseUrl}/api/session`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Forwarded-For': '203.0.113.7' }, body: JSON.stringify({ username: 'bob', password }) });
    for (let i = 0; i < 5; i++) expect((await attempt('guess-' + i)).status).toBe(401);
    const blocked = await attempt(PASSWORD);
    expect(blocked.status).toBe(429);
    const retryAfter = Number(blocked.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(await blocked.json()).toEqual({ error: 'too_many_login_attempts', message: `too many login attempts for this user from your address: wait ${retryAfter} s and try again` });
    // Another officer at the same address, and the same officer elsewhere, are not locked out.
    const other = await fetch(`${h.baseUrl}/api/session`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Forwarded-For': '203.0.113.7' }, body: JSON.stringify({ username: 'alice', password: PASSWORD }) });
    expect(other.status).toBe(200);
    expect((await p.login('bob')).status).toBe(200);
    const audited = await h.store.db.selectFrom('audit_events').select(['action']).where('actor', '=', 'bob').where('action', '=', 'login_throttled').execute();
    expect(audited).toHaveLength(1);
  });

  it('keeps API keys working for systems, without a cookie or CSRF token', async () => {
    const res = await fetch(`${h.baseUrl}/api/desk/queue`, { headers: { Authorization: `Bearer ${h.stack.keys.desk}` } });
    expect(res.status).toBe(200);
    const bad = await fetch(`${h.baseUrl}/api/desk/queue`, { headers: { Authorization: 'Bearer nope-nope-nope' } });
    expect(bad.status).toBe(401);
    const intake = await fetch(`${h.baseUrl}/api/desk/queue`, { headers: { Authorization: `Bearer ${h.stack.keys.intake}` } });
    expect(intake.status).toBe(403);
    expect(await intake.json()).toEqual({ error: 'forbidden', message: 'role intake may not do this; needs desk or manager' });
  });

  it('answers 401 to the desk API without a session', async () => {
    const res = await fetch(`${h.baseUrl}/api/desk/queue`);
    expect(res.status).toBe(401);
  });

  it('serves the login page and the desk page', async () => {
    const login = await fetch(`${h.baseUrl}/login`);
    expect(login.status).toBe(200);
    expect(await login.text()).toContain('<script type="module" src="/shared/login.js"></script>');
    const desk = await fetch(`${h.baseUrl}/desk/`);
    const page = await desk.text();
    expect(page).toContain('<html lang="zh-CN">');
    expect(page).toContain('<script type="module" src="/desk/main.js"></script>');
    // The consoles' bundles are built at start and served as JavaScript modules.
    const bundle = await fetch(`${h.baseUrl}/build/preact.js`);
    expect(bundle.status).toBe(200);
    expect(bundle.headers.get('content-type')).toMatch(/^(text|application)\/javascript/);
  });
});

describe('desk sessions behind TLS', () => {
  let h: DeskHarness;
  beforeAll(async () => {
    h = await startDeskHarness({ env: { PUBLIC_URL: 'https://desk.example.gov.cn' } });
    await addUser(h.store, 'alice', 'desk');
  });
  afterAll(() => h.close());

  it('marks the cookie Secure and host-only (__Host- prefix) when PUBLIC_URL is https', async () => {
    const res = await new Person(h.baseUrl).login('alice');
    expect(res.status).toBe(200);
    const cookie = res.headers.getSetCookie()[0]!;
    expect(cookie).toMatch(/^__Host-qz_session=[A-Za-z0-9_-]{43}; /);
    expect(cookie).toMatch(/; Path=\/; /);
    expect(cookie).toMatch(/; Secure/);
    expect(cookie).not.toMatch(/Domain=/);
  });
});
