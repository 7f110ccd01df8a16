import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { SEP_NAMESPACE } from './element.js';

/** A request body that is not the 2030.5 document it should be; answered 400 with this message. */
export class BodyError extends Error {}

/** Elements that may repeat in the bodies the server accepts: always arrays after parsing. */
const REPEATED = new Set(['MirrorMeterReading', 'MirrorReadingSet', 'Reading']);

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  removeNSPrefix: true,
  processEntities: true,
  isArray: (name, path) => REPEATED.has(name) && String(path).includes('.'),
});

export type XmlObject = Record<string, unknown>;

/** The namespace of the root element (`<x:Root xmlns:x="..">` or `<Root xmlns="..">`); the parser drops prefixes. */
function rootNamespace(body: string): string | undefined {
  const root = /<([A-Za-z_][\w.-]*:)?[A-Za-z_][\w.-]*(\s[^>]*)?>/.exec(body.replace(/<\?[\s\S]*?\?>|<!--[\s\S]*?-->/g, ''));
  if (!root) return undefined;
  const prefix = root[1] ? `:${root[1].slice(0, -1)}` : '';
  return new RegExp(`\\sxmlns${prefix}\\s*=\\s*["']([^"']*)["']`).exec(root[2] ?? '')?.[1];
}

/** Parses `body` and returns its root element, which must be `expected` in the 2030.5 namespace. */
export function parseDocument(body: string, expected: readonly string[]): { name: string; element: XmlObject } {
  const valid = XMLValidator.validate(body);
  if (valid !== true) throw new BodyError(`body is not well-formed XML: ${valid.err.msg} (line ${valid.err.line})`);
  const document = parser.parse(body) as XmlObject;
  const roots = Object.keys(document).filter((key) => !key.startsWith('?'));
  const name = roots.find((key) => expected.includes(key));
  if (roots.length !== 1 || !name) throw new BodyError(`body must be one ${expected.join(' or ')} element, got ${roots.join(', ') || 'nothing'}`);
  const namespace = rootNamespace(body);
  if (namespace !== SEP_NAMESPACE) throw new BodyError(`${name}: namespace '${namespace ?? ''}' is not ${SEP_NAMESPACE}`);
  const element = (document[name] ?? {}) as XmlObject | string;
  return { name, element: typeof element === 'string' ? {} : element };
}

/** Text of a child element, undefined when absent. */
export function textOf(element: XmlObject, name: string): string | undefined {
  const value = element[name];
  if (value === undefined) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'object' && value !== null && '#text' in value) return String((value as XmlObject)['#text']);
  if (typeof value === 'object' && value !== null && Object.keys(value).length === 0) return '';
  throw new BodyError(`${name} must be a simple value`);
}

export function childOf(element: XmlObject, name: string): XmlObject | undefined {
  const value = element[name];
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as XmlObject) : undefined;
}

export function childrenOf(element: XmlObject, name: string): XmlObject[] {
  const value = element[name];
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).map((item) => (typeof item === 'object' && item !== null ? (item as XmlObject) : {}));
}

export function requiredText(element: XmlObject, owner: string, name: string, pattern: RegExp, rule: string): string {
  const value = textOf(element, name);
  if (value === undefined) throw new BodyError(`${owner}: ${name} is required`);
  if (!pattern.test(value)) throw new BodyError(`${owner}: ${name} '${value.slice(0, 48)}' is not ${rule}`);
  return value;
}

export function integerText(element: XmlObject, owner: string, name: string, min: number, max: number): number | undefined {
  const value = textOf(element, name);
  if (value === undefined) return undefined;
  if (!/^-?[0-9]{1,16}$/.test(value) || Number(value) < min || Number(value) > max) {
    throw new BodyError(`${owner}: ${name} '${value.slice(0, 24)}' is not an integer from ${min} to ${max}`);
  }
  return Number(value);
}
