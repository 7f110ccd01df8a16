import type { Permissions } from '../acl.js';
import type { EndDeviceRecord } from '../devices.js';
import type { XmlElement } from '../xml/element.js';

export interface Sep2Request {
  method: string;
  /** Path segments after the leading slash: `/upt/3/mr` -> ['upt', '3', 'mr']. */
  segments: string[];
  query: URLSearchParams;
  body: string;
  client: EndDeviceRecord;
  permissions: Permissions;
}

export interface Sep2Reply {
  status: number;
  body?: XmlElement;
  headers?: Record<string, string>;
  /** Plain-text reason for an error status (never echoes secrets). */
  reason?: string;
}

export const reply = {
  ok: (body: XmlElement): Sep2Reply => ({ status: 200, body }),
  created: (location: string): Sep2Reply => ({ status: 201, headers: { Location: location } }),
  noContent: (): Sep2Reply => ({ status: 204 }),
  error: (status: number, reason: string, headers?: Record<string, string>): Sep2Reply => ({ status, reason, headers }),
};

export const notFound = (): Sep2Reply => reply.error(404, 'no such resource');
export const forbidden = (what: string): Sep2Reply => reply.error(403, `this client's role may not ${what}`);

/** `/edev/<n>`: the index, or undefined for anything but a plain decimal. */
export function indexOf(segment: string | undefined): number | undefined {
  return segment !== undefined && /^(0|[1-9][0-9]{0,8})$/.test(segment) ? Number(segment) : undefined;
}
