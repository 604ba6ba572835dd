/**
 * A small XML → plain object conversion for HIS replies that carry an XML document inside a
 * string element (common in hospital web services). Elements become keys (namespace prefixes
 * dropped), repeated elements become arrays, text-only elements become strings, attributes
 * become keys of their element unless a child has the same name.
 */
import sax from 'sax';

type Node = { name: string; fields: Record<string, unknown>; text: string; hasChildren: boolean };

function local(name: string): string {
  const i = name.indexOf(':');
  return i >= 0 ? name.slice(i + 1) : name;
}

/** A field map without a prototype: element names come from the HIS reply, and `<__proto__>` or `<constructor>` are just names. */
function fieldMap(): Record<string, unknown> {
  return Object.create(null) as Record<string, unknown>;
}

function addField(fields: Record<string, unknown>, key: string, value: unknown): void {
  if (!Object.hasOwn(fields, key)) fields[key] = value;
  else if (Array.isArray(fields[key])) (fields[key] as unknown[]).push(value);
  else fields[key] = [fields[key], value];
}

/** Parses an XML document into a plain object `{ rootName: … }`. Throws on malformed XML. */
export function xmlToObject(xml: string): Record<string, unknown> {
  const parser = sax.parser(true, { trim: false, normalize: false });
  const root: Node = { name: '', fields: fieldMap(), text: '', hasChildren: true };
  const stack: Node[] = [root];
  let error: Error | undefined;
  parser.onerror = (e) => { error = e; parser.resume(); };
  parser.onopentag = (tag) => {
    const node: Node = { name: local(tag.name), fields: fieldMap(), text: '', hasChildren: false };
    for (const [k, v] of Object.entries(tag.attributes)) {
      if (k === 'xmlns' || k.startsWith('xmlns:')) continue;
      node.fields[local(k)] = typeof v === 'string' ? v : v.value;
    }
    stack[stack.length - 1].hasChildren = true;
    stack.push(node);
  };
  parser.ontext = (t) => { stack[stack.length - 1].text += t; };
  parser.oncdata = (t) => { stack[stack.length - 1].text += t; };
  parser.onclosetag = () => {
    const node = stack.pop()!;
    const parent = stack[stack.length - 1];
    const hasAttrs = Object.keys(node.fields).length > 0;
    const value = node.hasChildren || hasAttrs ? node.fields : node.text.trim();
    if (node.hasChildren && !hasAttrs && node.text.trim() && Object.keys(node.fields).length === 0) {
      addField(parent.fields, node.name, node.text.trim());
    } else addField(parent.fields, node.name, value);
  };
  parser.write(xml).close();
  if (error) throw new Error(`malformed XML in the reply: ${error.message.split('\n')[0]}`);
  return root.fields;
}
