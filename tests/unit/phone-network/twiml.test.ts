import { parseTwiml, parseXml, textOf, TwimlParseError } from '../../../tools/phone-network/twiml';

describe('the TwiML reader', () => {
  it('reads what the twilio library generates: declaration, attributes, nesting, entities, CDATA', () => {
    const doc = parseTwiml(`<?xml version="1.0" encoding="UTF-8"?><!-- flow v3 -->
      <Response><Say language='zh-CN' voice="Polly.Zhiyu-Neural">您好 &amp; 再见 &#x4F60;</Say>
      <Gather input="speech dtmf" action="/g?a=1&amp;b=2"><Say><![CDATA[<press> 0]]></Say></Gather><Hangup/></Response>`);
    expect(doc.children.filter((c) => typeof c !== 'string').map((c) => (typeof c === 'string' ? c : c.name))).toEqual(['Say', 'Gather', 'Hangup']);
    const [say, gather] = doc.children.filter((c) => typeof c !== 'string') as ReturnType<typeof parseXml>[];
    expect(say.attrs).toEqual({ language: 'zh-CN', voice: 'Polly.Zhiyu-Neural' });
    expect(textOf(say)).toBe('您好 & 再见 你');
    expect(gather.attrs.action).toBe('/g?a=1&b=2');
    expect(textOf(gather)).toBe('<press> 0');
  });

  it('flattens SSML inside <Say>', () => {
    expect(textOf(parseXml('<Say>Call <prosody rate="slow">96110</prosody> now.</Say>'))).toBe('Call 96110 now.');
  });

  it('refuses a document whose root is not <Response>, and broken XML, with the position', () => {
    expect(() => parseTwiml('<Reply><Say>x</Say></Reply>')).toThrow('the root element is <Reply>, TwiML needs <Response> at character 0');
    expect(() => parseTwiml('<Response><Say>x</Response>')).toThrow(new TwimlParseError('</Response> closes <Say>', 26));
    expect(() => parseTwiml('<Response><Say>a & b</Say></Response>')).toThrow("unterminated entity (a bare '&' must be written &amp;)");
  });
});
