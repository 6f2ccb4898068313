/**
 * A small, strict XML well-formedness checker for the renderer's tests: workerd has
 * no DOMParser. It walks the string once (no regular expressions over the markup)
 * and throws at the first problem: tags that do not nest, a second root, attributes
 * unquoted or repeated or holding '<', an '&' that does not start an entity, text
 * outside the root. It knows elements, attributes, text, comments and an XML
 * declaration: everything an SVG string from the renderer may contain, and no more
 * (no DOCTYPE, CDATA or processing instructions).
 */
export interface XmlElement {
  readonly name: string;
  readonly attributes: ReadonlyMap<string, string>;
}

export interface XmlDocument {
  readonly root: XmlElement;
  /** Every element in document order, the root first. */
  readonly elements: XmlElement[];
  /** Every non-blank text node, entities decoded. */
  readonly texts: string[];
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

const isLetter = (ch: string) => (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z');
const isNameStart = (ch: string) => isLetter(ch) || ch === '_' || ch === ':';
const isNameChar = (ch: string) => isNameStart(ch) || (ch >= '0' && ch <= '9') || ch === '.' || ch === '-';
const isSpace = (ch: string | undefined) => ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r';

export function parseXml(xml: string): XmlDocument {
  let i = 0;
  const stack: string[] = [];
  const elements: XmlElement[] = [];
  const texts: string[] = [];
  let rootClosed = false;
  const fail = (message: string): never => {
    throw new Error(`${message} at ${i}: …${xml.slice(Math.max(0, i - 30), i + 30)}…`);
  };

  const name = (): string => {
    const start = i;
    if (!isNameStart(xml[i] ?? '')) fail('expected a name');
    while (i < xml.length && isNameChar(xml[i]!)) i++;
    return xml.slice(start, i);
  };

  /** Decodes entities in text or an attribute value running up to `end` (exclusive). */
  const decode = (end: number): string => {
    let out = '';
    while (i < end) {
      const ch = xml[i]!;
      if (ch === '<') fail("'<' in text or attribute");
      if (ch !== '&') {
        out += ch;
        i++;
        continue;
      }
      const semi = xml.indexOf(';', i);
      if (semi < 0 || semi > end) fail("'&' without ';'");
      const ref = xml.slice(i + 1, semi);
      if (ref in ENTITIES) out += ENTITIES[ref];
      else if (/^#[0-9]{1,7}$/.test(ref)) out += String.fromCodePoint(Number(ref.slice(1)));
      else if (/^#x[0-9a-fA-F]{1,6}$/.test(ref)) out += String.fromCodePoint(Number.parseInt(ref.slice(2), 16));
      else fail(`unknown entity &${ref};`);
      i = semi + 1;
    }
    return out;
  };

  if (xml.startsWith('<?xml')) {
    const end = xml.indexOf('?>');
    if (end < 0) fail('unterminated XML declaration');
    i = end + 2;
  }

  while (i < xml.length) {
    if (xml[i] !== '<') {
      const end = xml.indexOf('<', i) < 0 ? xml.length : xml.indexOf('<', i);
      const text = decode(end);
      if (text.trim() !== '') {
        if (stack.length === 0) fail('text outside the root element');
        texts.push(text);
      }
      continue;
    }
    if (xml.startsWith('<!--', i)) {
      const end = xml.indexOf('-->', i + 4);
      if (end < 0 || xml.slice(i + 4, end).includes('--')) fail('bad comment');
      i = end + 3;
      continue;
    }
    if (xml.startsWith('</', i)) {
      i += 2;
      const closing = name();
      while (isSpace(xml[i])) i++;
      if (xml[i] !== '>') fail("expected '>'");
      i++;
      const open = stack.pop();
      if (open !== closing) fail(`</${closing}> closes <${open ?? 'nothing'}>`);
      if (stack.length === 0) rootClosed = true;
      continue;
    }
    if (xml[i + 1] === '!' || xml[i + 1] === '?') fail('DOCTYPE, CDATA and processing instructions are not expected');
    i++;
    if (rootClosed || (stack.length === 0 && elements.length > 0)) fail('a second root element');
    const tag = name();
    const attributes = new Map<string, string>();
    for (;;) {
      const spaced = isSpace(xml[i]);
      while (isSpace(xml[i])) i++;
      if (xml.startsWith('/>', i) || xml[i] === '>') break;
      if (!spaced) fail('attributes must be separated by whitespace');
      const attribute = name();
      if (attributes.has(attribute)) fail(`duplicate attribute ${attribute}`);
      if (xml[i] !== '=') fail("expected '='");
      i++;
      const quote = xml[i];
      if (quote !== '"' && quote !== "'") fail('attribute values must be quoted');
      i++;
      const end = xml.indexOf(quote!, i);
      if (end < 0) fail('unterminated attribute value');
      attributes.set(attribute, decode(end));
      i = end + 1;
    }
    elements.push({ name: tag, attributes });
    if (xml[i] === '/') {
      i += 2;
      if (stack.length === 0) rootClosed = true;
    } else {
      i++;
      stack.push(tag);
    }
  }
  if (stack.length > 0) fail(`<${stack.at(-1)}> is never closed`);
  if (elements.length === 0) fail('no root element');
  return { root: elements[0]!, elements, texts };
}
