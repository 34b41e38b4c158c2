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

describe('configuration', () => {
  it('applies the documented defaults', () => {
    const c = loadConfig(good);
    expect(c.port).toBe(3000);
    expect(c.redisUrl).toBe('redis://127.0.0.1:6379');
    expect(c.queuePrefix).toBe('quanzu');
    expect(c.databaseUrl).toMatch(/^sqlite:\/\/.*data\/quanzu\.sqlite$/);
    expect(c.apiKeys).toEqual([
      { role: 'intake', key: 'intake-key-123' },
      { role: 'desk', key: 'desk-key-1234' },
    ]);
  });

  it('lists every problem at once, each with how to fix it', () => {
    const p = problems({ PORT: 'eighty', QUANZU_API_KEYS: 'boss:abcdefghij', TELEGRAM_BOT_TOKEN: '123:abcdefghijklmnopqrstuvwxyz', PUBLIC_URL: 'https://quanzu.example.org' });
    expect(p).toEqual([
      'PORT must be a port number (0-65535), got "eighty".',
      'TWILIO_ACCOUNT_SID is missing: copy the Account SID (AC…) from the Twilio console.',
      'TWILIO_AUTH_TOKEN is missing: copy the Auth Token from the Twilio console (it also verifies webhook signatures).',
      'TWILIO_FROM is missing: the Twilio number warnings are sent from, in E.164 (+8610…).',
      'TELEGRAM_WEBHOOK_SECRET is required when PUBLIC_URL and TELEGRAM_BOT_TOKEN are set (webhook mode): generate one with `openssl rand -hex 32`.',
      'QUANZU_API_KEYS entry "boss:abcdefghij" must be role:key with role one of intake, desk, station, manager, admin.',
    ]);
  });

  it('refuses short API keys and a non-E.164 sender', () => {
    expect(problems({ ...good, TWILIO_FROM: '010-1234', QUANZU_API_KEYS: 'desk:short' })).toEqual([
      'TWILIO_FROM must be an E.164 number like +12025550100, got "010-1234".',
      'QUANZU_API_KEYS key for role desk is shorter than 8 characters: use a long random key (openssl rand -hex 24).',
    ]);
  });
});
