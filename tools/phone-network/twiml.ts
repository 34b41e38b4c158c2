// A small XML reader for TwiML, written out by hand (character scanning, no regular expressions) so the
// network needs no new dependency. It accepts what TwiML generators emit: declaration, comments, CDATA,
// attributes in either quote, self-closing tags and the five entities plus numeric references.

export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlNode[];
}
export type XmlNode = XmlElement | string;

export class TwimlParseError extends Error {
  constructor(message: string, readonly position: number) {
    super(`${message} at character ${position}`);
    this.name = 'TwimlParseError';
  }
}

const NAMED_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function isNameChar(c: string): boolean {
  return (
    (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c === '_' || c === '-' || c === '.' || c === ':'
  );
}
function isSpace(c: string): boolean {
  return c === ' ' || c === '\n' || c === '\r' || c === '\t';
}

function decodeEntities(raw: string, at: number): string {
  let out = '';
  let i = 0;
  while (i < raw.length) {
    const c = raw[i];
    if (c !== '&') {
      out += c;
      i++;
      continue;
    }
    const end = raw.indexOf(';', i);
    if (end < 0) throw new TwimlParseError("unterminated entity (a bare '&' must be written &amp;)", at + i);
    const name = raw.slice(i + 1, end);
    if (name.startsWith('#x') || name.startsWith('#X')) out += String.fromCodePoint(parseInt(name.slice(2), 16));
    else if (name.startsWith('#')) out += String.fromCodePoint(parseInt(name.slice(1), 10));
    else if (name in NAMED_ENTITIES) out += NAMED_ENTITIES[name];
    else throw new TwimlParseError(`unknown entity &${name};`, at + i);
    i = end + 1;
  }
  return out;
}

export function parseXml(source: string): XmlElement {
  let pos = 0;
  const text = source.charCodeAt(0) === 0xfeff ? source.slice(1) : source;

  function skipSpace(): void {
    while (pos < text.length && isSpace(text[pos])) pos++;
  }
  function expect(s: string): void {
    if (!text.startsWith(s, pos)) throw new TwimlParseError(`expected "${s}"`, pos);
    pos += s.length;
  }
  function readName(): string {
    const start = pos;
    while (pos < text.length && isNameChar(text[pos])) pos++;
    if (pos === start) throw new TwimlParseError('expected a tag or attribute name', pos);
    return text.slice(start, pos);
  }
  function skipMisc(): void {
    for (;;) {
      skipSpace();
      if (text.startsWith('<?', pos)) {
        const end = text.indexOf('?>', pos);
        if (end < 0) throw new TwimlParseError('unterminated <? … ?>', pos);
        pos = end + 2;
      } else if (text.startsWith('<!--', pos)) {
        const end = text.indexOf('-->', pos);
        if (end < 0) throw new TwimlParseError('unterminated comment', pos);
        pos = end + 3;
      } else if (text.startsWith('<!DOCTYPE', pos)) {
        const end = text.indexOf('>', pos);
        pos = end < 0 ? text.length : end + 1;
      } else return;
    }
  }
  function readElement(): XmlElement {
    expect('<');
    const name = readName();
    const attrs: Record<string, string> = {};
    for (;;) {
      skipSpace();
      if (text.startsWith('/>', pos)) {
        pos += 2;
        return { name, attrs, children: [] };
      }
      if (text[pos] === '>') {
        pos++;
        break;
      }
      if (pos >= text.length) throw new TwimlParseError(`unterminated <${name}>`, pos);
      const attr = readName();
      skipSpace();
      expect('=');
      skipSpace();
      const quote = text[pos];
      if (quote !== '"' && quote !== "'") throw new TwimlParseError(`attribute ${attr} needs a quoted value`, pos);
      const end = text.indexOf(quote, pos + 1);
      if (end < 0) throw new TwimlParseError(`unterminated value of attribute ${attr}`, pos);
      attrs[attr] = decodeEntities(text.slice(pos + 1, end), pos + 1);
      pos = end + 1;
    }
    const children: XmlNode[] = [];
    for (;;) {
      if (pos >= text.length) throw new TwimlParseError(`<${name}> is never closed`, pos);
      if (text.startsWith('</', pos)) {
        pos += 2;
        const closing = readName();
        if (closing !== name) throw new TwimlParseError(`</${closing}> closes <${name}>`, pos);
        skipSpace();
        expect('>');
        return { name, attrs, children };
      }
      if (text.startsWith('<!--', pos)) {
        const end = text.indexOf('-->', pos);
        if (end < 0) throw new TwimlParseError('unterminated comment', pos);
        pos = end + 3;
      } else if (text.startsWith('<![CDATA[', pos)) {
        const end = text.indexOf(']]>', pos);
        if (end < 0) throw new TwimlParseError('unterminated CDATA', pos);
        children.push(text.slice(pos + 9, end));
        pos = end + 3;
      } else if (text[pos] === '<') {
        children.push(readElement());
      } else {
        const start = pos;
        while (pos < text.length && text[pos] !== '<') pos++;
        children.push(decodeEntities(text.slice(start, pos), start));
      }
    }
  }

  skipMisc();
  if (text[pos] !== '<') throw new TwimlParseError('expected the root element', pos);
  const root = readElement();
  skipMisc();
  if (pos < text.length) throw new TwimlParseError('unexpected content after the root element', pos);
  return root;
}

/** All text inside a node, SSML tags (<prosody>, <break>, …) flattened, whitespace collapsed. */
export function textOf(node: XmlNode): string {
  const raw = typeof node === 'string' ? node : node.children.map(textOf).join(' ');
  let out = '';
  let lastSpace = true;
  for (const c of raw) {
    if (isSpace(c)) {
      if (!lastSpace) out += ' ';
      lastSpace = true;
    } else {
      out += c;
      lastSpace = false;
    }
  }
  return out.trim();
}

export function elementsOf(node: XmlElement): XmlElement[] {
  return node.children.filter((c): c is XmlElement => typeof c !== 'string');
}

/** Parse a TwiML document; the root must be <Response> as Twilio requires. */
export function parseTwiml(source: string): XmlElement {
  const root = parseXml(source);
  if (root.name !== 'Response') throw new TwimlParseError(`the root element is <${root.name}>, TwiML needs <Response>`, 0);
  return root;
}
