// OpenWISP controller stand-in: exactly the HTTP protocol openwisp-config's agent speaks
// (openwisp-config/files/openwisp.agent): POST /controller/register/ (201, `uuid:`/`key:`/`hostname:`/
// `is-new:` lines), GET /controller/checksum/<uuid>/?key= (md5 of the archive), GET
// /controller/download-config/<uuid>/?key= (tar.gz, gzip mtime 0 as netjsonconfig writes it), POST
// /controller/report-status/<uuid>/ (key, status applied|error, error_reason), POST
// /controller/update-info/<uuid>/, and the monitoring agent's POST /api/v1/monitoring/device/<uuid>/?key=.
// Every reply carries `X-Openwisp-Controller: true` (the agent exits when it is missing).
// Devices get the templates' configuration with their group's and their own variables.
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { writeTar } from '../../../tools/feed/tar.js';
import { renderTemplate } from '../../../tools/fleet/check.js';

export interface ControllerDevice {
  uuid: string;
  key: string;
  name: string;
  variables: Record<string, string>;
  status: 'modified' | 'applied' | 'error';
  errorReason?: string;
  reports: Array<{ status: string; at: number; checksum: string }>;
  monitoring: unknown[];
}

export interface Controller {
  url: string;
  devices: Map<string, ControllerDevice>;
  /** Templates applied to every device, in order (netjsonconfig form with default_values). */
  templates: unknown[];
  groupVariables: Record<string, string>;
  /** Marks every device `modified` (as OpenWISP does when a template or variable changes). */
  changed(): void;
  checksumFor(device: ControllerDevice): string;
  close(): Promise<void>;
}

const HEADERS = { 'X-Openwisp-Controller': 'true' };

function reply(response: ServerResponse, status: number, body: string | Buffer, type = 'text/plain'): void {
  response.writeHead(status, { ...HEADERS, 'Content-Type': type });
  response.end(body);
}

async function body(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startController(options: { sharedSecret: string; templates: unknown[]; groupVariables?: Record<string, string> }): Promise<Controller> {
  const devices = new Map<string, ControllerDevice>();
  const byName = new Map<string, ControllerDevice>();
  const controller = { devices, templates: options.templates, groupVariables: { ...options.groupVariables } } as Controller;

  const archive = (device: ControllerDevice): Buffer => {
    const variables = { ...controller.groupVariables, ...device.variables };
    const rendered = controller.templates.map((template) => renderTemplate(template, variables));
    const uci = rendered.map((files) => files.uci).join('\n');
    const secretsUci = rendered.map((files) => files.secretsUci).filter(Boolean).join('\n');
    const members = [{ path: 'etc/config/smartgrid', type: 'file' as const, mode: 0o644, content: Buffer.from(uci) }];
    if (secretsUci) members.push({ path: 'etc/config/smartgrid_secrets', type: 'file', mode: 0o600, content: Buffer.from(secretsUci) });
    const tar = writeTar(members, 0);
    return gzipSync(tar, { level: 9 });
  };
  controller.checksumFor = (device) => createHash('md5').update(archive(device)).digest('hex');
  controller.changed = () => { for (const device of devices.values()) device.status = 'modified'; };

  const authorised = (url: URL, form: URLSearchParams | undefined, response: ServerResponse): ControllerDevice | undefined => {
    const uuid = /\/([0-9a-f-]{36})\/$/.exec(url.pathname)?.[1];
    const device = uuid ? devices.get(uuid) : undefined;
    if (!device) { reply(response, 404, 'not found'); return undefined; }
    const key = form?.get('key') ?? url.searchParams.get('key');
    if (key !== device.key) { reply(response, 403, 'wrong key'); return undefined; }
    return device;
  };

  const register = (form: URLSearchParams, response: ServerResponse) => {
    if (form.get('secret') !== options.sharedSecret) return reply(response, 403, 'error: unrecognized secret');
    if (form.get('backend') !== 'netjsonconfig.OpenWrt') return reply(response, 403, 'error: wrong backend');
    const name = form.get('name') ?? '';
    const existing = byName.get(name);
    const device: ControllerDevice = existing ?? {
      uuid: crypto.randomUUID(), key: form.get('key') || randomBytes(16).toString('hex'), name, variables: {}, status: 'modified', reports: [], monitoring: [],
    };
    devices.set(device.uuid, device);
    byName.set(name, device);
    reply(response, 201, `registration-result: success\nuuid: ${device.uuid}\nkey: ${device.key}\nhostname: ${name}\nis-new: ${existing ? 0 : 1}\n`);
  };

  const report = (device: ControllerDevice, form: URLSearchParams, response: ServerResponse) => {
    const status = form.get('status');
    if (status !== 'applied' && status !== 'error') return reply(response, 400, 'error: status must be applied or error');
    device.status = status;
    device.errorReason = status === 'error' ? form.get('error_reason') ?? '' : undefined;
    device.reports.push({ status, at: Date.now(), checksum: controller.checksumFor(device) });
    reply(response, 200, `report-result: success\ncurrent-status: ${status}\n`);
  };

  const route = async (request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? '/', 'http://controller');
    const form = request.method === 'POST' && !url.pathname.startsWith('/api/') ? new URLSearchParams(await body(request)) : undefined;
    if (request.method === 'POST' && url.pathname === '/controller/register/') return register(form!, response);
    const device = authorised(url, form, response);
    if (!device) return;
    if (request.method === 'GET' && url.pathname.startsWith('/controller/checksum/')) return reply(response, 200, `${controller.checksumFor(device)}\n`);
    if (request.method === 'GET' && url.pathname.startsWith('/controller/download-config/')) return reply(response, 200, archive(device), 'application/octet-stream');
    if (request.method === 'POST' && url.pathname.startsWith('/controller/report-status/')) return report(device, form!, response);
    if (request.method === 'POST' && url.pathname.startsWith('/controller/update-info/')) return reply(response, 200, 'update-info: success\n');
    if (request.method === 'POST' && url.pathname.startsWith('/api/v1/monitoring/device/')) {
      device.monitoring.push(JSON.parse(await body(request)));
      return reply(response, 200, '{}', 'application/json');
    }
    reply(response, 404, 'not found');
  };

  const server: Server = createServer((request, response) => { route(request, response).catch((error: Error) => reply(response, 500, error.message)); });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  controller.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  controller.close = () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); });
  return controller;
}
