// Settings at the trust boundary: scoped intake keys, the bind address, which proxies are believed, the log level.
import { ConfigError, loadConfig } from '../../../server/config';

const good = {
  TWILIO_ACCOUNT_SID: `AC${'0'.repeat(32)}`,
  TWILIO_AUTH_TOKEN: 'token',
  TWILIO_FROM: '+12025550100',
  QUANZU_API_KEYS: 'intake:intake-key-123,desk:desk-key-1234',
};

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

describe('scoped intake keys', () => {
  it('binds an intake key to the sources named after @, separated by |', () => {
    const c = loadConfig({ ...good, QUANZU_API_KEYS: 'intake@province-centre|city-110:k-province-1,intake:legacy-key-1,desk:desk-key-1234' });
    expect(c.apiKeys).toEqual([
      { role: 'intake', key: 'k-province-1', sources: ['province-centre', 'city-110'] },
      { role: 'intake', key: 'legacy-key-1' },
      { role: 'desk', key: 'desk-key-1234' },
    ]);
  });

  it('refuses a scope on a role that does not post warnings, and an empty or odd source', () => {
    expect(problems({ ...good, QUANZU_API_KEYS: 'desk@province-centre:desk-key-1234,intake@:k-province-1,intake@a|:k-province-2,intake@bad,name:k-province-3' })).toEqual([
      'QUANZU_API_KEYS entry "desk@province-centre" is scoped to sources, but only intake keys post warnings: write desk:<key>.',
      'QUANZU_API_KEYS entry "intake@" names no source: write intake@<source>|<source>:<key>, e.g. intake@province-centre:<key>.',
      'QUANZU_API_KEYS entry "intake@a|" names an empty source: write intake@<source>|<source>:<key>, e.g. intake@province-centre:<key>.',
      // A comma ends an entry, so a source cannot hold one: both halves are refused.
      'QUANZU_API_KEYS entry "intake@bad" must be role:key with role one of intake, desk, station, manager, admin.',
      'QUANZU_API_KEYS entry "name:k-province-3" must be role:key with role one of intake, desk, station, manager, admin.',
    ]);
  });
});

describe('bind address and proxies', () => {
  it('listens on loopback only and believes no proxy unless told', () => {
    const c = loadConfig(good);
    expect(c.host).toBe('127.0.0.1');
    expect(c.trustProxy).toBe(false);
  });

  it('takes HOST and TRUST_PROXY as express understands them', () => {
    expect(loadConfig({ ...good, HOST: '0.0.0.0', TRUST_PROXY: 'loopback' })).toMatchObject({ host: '0.0.0.0', trustProxy: 'loopback' });
    expect(loadConfig({ ...good, TRUST_PROXY: '10.0.0.0/8, 192.168.1.10' }).trustProxy).toEqual(['10.0.0.0/8', '192.168.1.10']);
    expect(loadConfig({ ...good, TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(loadConfig({ ...good, TRUST_PROXY: 'off' }).trustProxy).toBe(false);
  });

  it('refuses to trust every proxy, and an address that is not one', () => {
    expect(problems({ ...good, TRUST_PROXY: 'true', HOST: 'not a host!' })).toEqual([
      'HOST must be the address to listen on (127.0.0.1, 0.0.0.0, ::, or one interface address), got "not a host!".',
      'TRUST_PROXY=true would believe X-Forwarded-For from anyone: give your proxy\'s address (e.g. 10.0.0.5 or 10.0.0.0/24), "loopback", or the number of proxies in front (1).',
    ]);
    expect(problems({ ...good, TRUST_PROXY: '10.0.0.300' })).toEqual([
      'TRUST_PROXY entry "10.0.0.300" is not an IP address, a CIDR range, or one of loopback, linklocal, uniquelocal.',
    ]);
  });
});

describe('log level', () => {
  it('refuses a level pino does not have, with the ones it does', () => {
    expect(problems({ ...good, LOG_LEVEL: 'verbose' })).toEqual(['LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent; got "verbose".']);
    expect(loadConfig({ ...good, LOG_LEVEL: 'DEBUG' }).logLevel).toBe('debug');
  });
});
