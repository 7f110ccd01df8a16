// The shared rule vocabulary of the section schemas: `"x-rule": "<name>"` (or a list of names, any of
// which may match) on a string option or on the items of a list. check-section.ts applies it after
// ajv, so the daemon, the pages and the OpenWISP check refuse a value with the same message. Keep it
// free of node imports: the pages bundle it. An empty string is "not set" and passes (use minLength
// to require a value); every rule refuses control characters and a leading `-` (an option to the
// program it is handed to). rules.json holds each rule's description (also used by the docs).
import DESCRIPTIONS from './rules.json';

export type RuleName = keyof typeof DESCRIPTIONS;
export const RULE_NAMES = Object.keys(DESCRIPTIONS) as RuleName[];

/** The rule keywords an option (or a list's `items`) may carry. */
export interface RuleKeywords {
  'x-rule'?: RuleName | RuleName[];
  /** For `path`: the value must be one of these directories or lie below one (`/etc/smartgrid`). */
  'x-path-prefixes'?: string[];
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const HOST_LABEL = /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;
const CONTROL = /[\u0000-\u001f\u007f]/;
const PATH_CHARS = /^[A-Za-z0-9._+@/-]+$/;

export function isIpv4(text: string): boolean {
  return IPV4.test(text);
}

export function isIpv6(text: string): boolean {
  const zoneless = text.split('%')[0];
  if (!/^[0-9A-Fa-f:.]+$/.test(zoneless) || zoneless.includes(':::')) return false;
  const halves = zoneless.split('::');
  if (halves.length > 2) return false;
  const groups = (part: string) => (part === '' ? [] : part.split(':'));
  const parts = [...groups(halves[0]), ...(halves.length === 2 ? groups(halves[1]) : [])];
  const last = parts[parts.length - 1];
  const tailIpv4 = last !== undefined && last.includes('.');
  if (tailIpv4 && !isIpv4(last)) return false;
  const hexGroups = tailIpv4 ? parts.slice(0, -1) : parts;
  if (!hexGroups.every((group) => /^[0-9A-Fa-f]{1,4}$/.test(group))) return false;
  const width = hexGroups.length + (tailIpv4 ? 2 : 0);
  return halves.length === 2 ? width < 8 : width === 8;
}

export function isHostname(text: string): boolean {
  const name = text.endsWith('.') ? text.slice(0, -1) : text;
  if (!name || name.length > 253) return false;
  const labels = name.split('.');
  // A name that is all digits and dots is a malformed IPv4 address, not a host name.
  if (labels.every((label) => /^\d+$/.test(label))) return false;
  return labels.every((label) => HOST_LABEL.test(label));
}

const isIpAddress = (text: string) => isIpv4(text) || isIpv6(text);
const isHost = (text: string) => isIpAddress(text) || isHostname(text);

function isPort(text: string): boolean {
  return /^\d{1,5}$/.test(text) && Number(text) >= 1 && Number(text) <= 65535;
}

/** `host`, `host:port`, `[v6]:port`, or (dnsmasq/mwan3 style) `address#port`. */
function isHostPort(text: string): boolean {
  if (isHost(text)) return true;
  const bracketed = /^\[([^\]]+)\]:(\d+)$/.exec(text);
  if (bracketed) return isIpv6(bracketed[1]) && isPort(bracketed[2]);
  const separated = /^([^:#]+)[:#](\d+)$/.exec(text);
  if (separated) return isHost(separated[1]) && isPort(separated[2]);
  const v6Hash = /^([0-9A-Fa-f:.]+)#(\d+)$/.exec(text);
  return v6Hash !== null && isIpv6(v6Hash[1]) && isPort(v6Hash[2]);
}

/** http(s) URL with a valid host, no credentials, no whitespace. */
function isHttpUrl(text: string): boolean {
  const match = /^https?:\/\/(\[[0-9A-Fa-f:.]+\]|[^/:?#@[\]\s]+)(:\d+)?([/?#][^\s]*)?$/.exec(text);
  if (!match) return false;
  const host = match[1].startsWith('[') ? match[1].slice(1, -1) : match[1];
  const hostOk = match[1].startsWith('[') ? isIpv6(host) : isHost(host);
  return hostOk && (match[2] === undefined || isPort(match[2].slice(1))) && !/["'<>\\`]/.test(text);
}

/** netifd logical interface (a UCI section name of `network`), e.g. `wan`, `wwan`, `lan6`. */
function isInterface(text: string): boolean {
  return /^[A-Za-z0-9_]{1,15}$/.test(text);
}

/** Linux network device (IFNAMSIZ - 1 characters), e.g. `eth0.2`, `wwan0`, `br-lan`. */
function isNetdev(text: string): boolean {
  return /^[A-Za-z0-9_][A-Za-z0-9_.@-]{0,14}$/.test(text) && text !== '.' && text !== '..';
}

function isCleanAbsolutePath(text: string): boolean {
  if (!text.startsWith('/') || !PATH_CHARS.test(text) || text.length > 255) return false;
  if (text.endsWith('/')) return false;
  return text.split('/').slice(1).every((segment) => segment !== '' && segment !== '.' && segment !== '..' && !segment.startsWith('-'));
}

function isUnderPrefix(text: string, prefixes: readonly string[] | undefined): boolean {
  if (!prefixes?.length) return true;
  return prefixes.some((prefix) => {
    const base = prefix.replace(/\/+$/, '');
    return text === base || text.startsWith(`${base}/`);
  });
}

function isTopic(text: string): boolean {
  return new TextEncoder().encode(text).length <= 65535 && !/[+#\u0000]/.test(text);
}

/** MQTT topic filter: `+` fills a whole level, `#` only as the whole last level. */
function isTopicFilter(text: string): boolean {
  if (new TextEncoder().encode(text).length > 65535 || text.includes('\u0000')) return false;
  const levels = text.split('/');
  return levels.every((level, index) => {
    if (level.includes('#')) return level === '#' && index === levels.length - 1;
    return !level.includes('+') || level === '+';
  });
}

/** Printable text for names and labels: no markup, no quotes or shell metacharacters. */
function isPlainText(text: string): boolean {
  return !/[<>"'`$\\;|&]/.test(text) && text.trim() === text;
}

type RuleTest = (text: string, keywords: RuleKeywords) => boolean;

const RULE_TESTS: Record<RuleName, RuleTest> = {
  host: isHost,
  hostname: isHostname,
  'ip-address': isIpAddress,
  'host-port': isHostPort,
  url: isHttpUrl,
  interface: isInterface,
  netdev: isNetdev,
  path: (text, keywords) => isCleanAbsolutePath(text) && isUnderPrefix(text, keywords['x-path-prefixes']),
  topic: isTopic,
  'topic-filter': isTopicFilter,
  text: isPlainText,
};

const isRuleName = (name: string): name is RuleName => Object.prototype.hasOwnProperty.call(RULE_TESTS, name);

export function ruleList(keywords: RuleKeywords): RuleName[] {
  const rule = keywords['x-rule'];
  return rule === undefined ? [] : Array.isArray(rule) ? rule : [rule];
}

/** What a value must be, in the words of the error message and the docs. */
export function describeRules(keywords: RuleKeywords): string {
  const words = ruleList(keywords).map((name) => {
    const description = isRuleName(name) ? DESCRIPTIONS[name] : `the unknown rule '${name}'`;
    const prefixes = keywords['x-path-prefixes'];
    return name === 'path' && prefixes?.length ? `${description} under ${prefixes.join(' or ')}` : description;
  });
  return words.length > 1 ? `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}` : words[0] ?? '';
}

/**
 * Checks one string against the option's rules; returns undefined when it passes, else the problem
 * ("is not a host name or IP address"), phrased for an issue message.
 */
export function ruleProblem(keywords: RuleKeywords, text: string): string | undefined {
  const names = ruleList(keywords);
  if (!names.length || text === '') return undefined;
  const unknown = names.find((name) => !isRuleName(name));
  if (unknown !== undefined) return `names the unknown rule '${unknown}'`;
  if (CONTROL.test(text)) return 'contains control characters';
  if (text.startsWith('-')) return `starts with '-' (it would be read as an option); it must be ${describeRules(keywords)}`;
  if (names.some((name) => RULE_TESTS[name](text, keywords))) return undefined;
  return `is not ${describeRules(keywords)}`;
}
