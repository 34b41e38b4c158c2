// Point the real twilio library at the local phone network: every request it would send to
// https://*.twilio.com goes to our base URL instead, unchanged otherwise.
import twilio from 'twilio';

type RequestOptions = Parameters<InstanceType<typeof twilio.RequestClient>['request']>[0];

export class LocalTwilioRequestClient extends twilio.RequestClient {
  /** @param apiBase e.g. http://127.0.0.1:4010 (the phone network's url) */
  constructor(
    private readonly apiBase: string,
    opts?: ConstructorParameters<typeof twilio.RequestClient>[0],
  ) {
    super(opts);
  }

  override request<TData>(opts: RequestOptions & { data?: TData }) {
    const uri = new URL(opts.uri);
    const base = new URL(this.apiBase);
    if (uri.hostname.endsWith('twilio.com')) {
      uri.protocol = base.protocol;
      uri.host = base.host;
    }
    return super.request<TData>({ ...opts, uri: uri.href });
  }
}

/** A twilio client whose requests go to the local phone network. */
export function localTwilioClient(
  apiBase: string,
  accountSid: string,
  authToken: string,
  opts?: ConstructorParameters<typeof twilio.RequestClient>[0],
): twilio.Twilio {
  return twilio(accountSid, authToken, { httpClient: new LocalTwilioRequestClient(apiBase, opts) });
}
