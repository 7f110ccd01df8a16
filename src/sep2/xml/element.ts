/** A 2030.5 XML element: children are written in the order given, which must be the schema's sequence. */
export interface XmlElement {
  name: string;
  attributes?: Record<string, string | number | boolean | undefined>;
  children?: ReadonlyArray<XmlElement | undefined>;
  text?: string | number | boolean;
}

export const SEP_NAMESPACE = 'http://ieee.org/2030.5';
export const SEP_MEDIA_TYPE = 'application/sep+xml';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ESCAPES[char]);
}

/** `<name>text</name>`, or nothing when the value is absent (optional elements). */
export function leaf(name: string, value: string | number | boolean | undefined): XmlElement | undefined {
  return value === undefined ? undefined : { name, text: value };
}

/** A `...Link` element (`<TimeLink href="/tm"/>`), with `all` for list links. */
export function link(name: string, href: string, all?: number): XmlElement {
  return { name, attributes: { href, all } };
}

function writeElement(element: XmlElement, out: string[], root: boolean): void {
  out.push('<', element.name);
  if (root) out.push(' xmlns="', SEP_NAMESPACE, '"');
  for (const [key, value] of Object.entries(element.attributes ?? {})) {
    if (value !== undefined) out.push(' ', key, '="', escapeXml(String(value)), '"');
  }
  const children = (element.children ?? []).filter((child): child is XmlElement => child !== undefined);
  if (element.text === undefined && children.length === 0) {
    out.push('/>');
    return;
  }
  out.push('>');
  if (element.text !== undefined) out.push(escapeXml(String(element.text)));
  for (const child of children) writeElement(child, out, false);
  out.push('</', element.name, '>');
}

/** The document: the root element carries the 2030.5 namespace. */
export function renderDocument(root: XmlElement): string {
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>\n'];
  writeElement(root, out, true);
  return out.join('');
}
