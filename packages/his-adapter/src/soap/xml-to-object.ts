/**
 * XML → plain object for HIS replies that carry an XML document inside a string element
 * (common in hospital web services), with fast-xml-parser. Elements become keys (namespace
 * prefixes dropped), repeated elements become arrays, text-only elements become strings (never
 * numbers: codes keep their leading zeros), attributes become keys of their element.
 *
 * Not streaming, on purpose: the document is one string the `soap` package already holds in
 * memory (it parses the SOAP envelope itself, with sax), and a page of replies is bounded by
 * `page_size`. A streaming parser would save nothing here.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';

// Element names get a NUL prefix inside the parser (no XML name holds one): fast-xml-parser
// refuses a `<__proto__>` element outright, and a HIS reply may well name an element so.
const ELEMENT = '\u0000';
// eslint-disable-next-line no-control-regex -- matches the NUL prefix set above on purpose
const LEADING_ELEMENT = /^\u0000+/;
const ATTRIBUTE = '@';

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: ATTRIBUTE,
  transformTagName: (name) => ELEMENT + name,
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  processEntities: true,
  htmlEntities: false,
});

function setField(out: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
}

/**
 * The parsed tree as objects without a prototype, keyed by element name: `<__proto__>` or
 * `<constructor>` are just names. Attributes become keys unless a child element has the same
 * name; namespace declarations are dropped.
 */
function detach(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(detach);
  if (value === null || typeof value !== 'object') return value;
  const node = value as Record<string, unknown>;
  const out = Object.create(null) as Record<string, unknown>;
  const keys = Object.keys(node);
  // A self-closing element gets the prefix twice (fast-xml-parser 5.12), hence every leading NUL.
  for (const key of keys) if (key.startsWith(ELEMENT)) setField(out, key.replace(LEADING_ELEMENT, ''), detach(node[key]));
  for (const key of keys) {
    if (!key.startsWith(ATTRIBUTE)) continue;
    const name = key.slice(1);
    if (name === 'xmlns' || name.startsWith('xmlns:') || Object.hasOwn(out, name)) continue;
    setField(out, name, node[key]);
  }
  if (typeof node['#text'] === 'string' && !Object.hasOwn(out, '#text')) setField(out, '#text', node['#text']);
  return out;
}

/** Parses an XML document into a plain object `{ rootName: … }`. Throws on malformed XML. */
export function xmlToObject(xml: string): Record<string, unknown> {
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw new Error(`malformed XML in the reply: ${valid.err.msg} (line ${valid.err.line})`);
  return detach(parser.parse(xml)) as Record<string, unknown>;
}
