// Every test runs with the outside network blocked: only loopback is reachable.
// A test that forgets to mock a provider fails loudly instead of calling the real Twilio or Telegram.
import nock from 'nock';

nock.disableNetConnect();
nock.enableNetConnect(/^(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$/);
