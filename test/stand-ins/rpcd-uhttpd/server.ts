import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { loadAclGroups, type LoginUser } from './acl.js';
import { formatBlobJson } from './json-format.js';
import { ERR, JsonRpcDispatcher } from './jsonrpc.js';
import { LuciObject } from './luci-object.js';
import { findNode, loadMenu, loginPage, viewPage, type ShellOptions } from './luci-shell.js';
import { NO_BACKEND, type RpcObject, type UbusBackend } from './objects.js';
import { SessionObject } from './session-object.js';
import { SessionStore } from './sessions.js';
import { serveStatic } from './static-files.js';
import { UciObject } from './uci-object.js';
import { UciStaging } from './uci-staging.js';

/** uhttpd's UH_UBUS_MAX_POST_SIZE. */
export const MAX_POST_SIZE = 65536;
/** The repository, found upwards from this module (also when bundled into build/). */
function findRepoRoot(start: string): string {
  let dir = start;
  while (dir !== dirname(dir)) {
    if (existsSync(join(dir, 'luci-app-smartgrid')) && existsSync(join(dir, 'test', 'stand-ins', 'rpcd-uhttpd'))) return dir;
    dir = dirname(dir);
  }
  return process.cwd();
}
const repoRoot = findRepoRoot(new URL('.', import.meta.url).pathname);
const here = join(repoRoot, 'test', 'stand-ins', 'rpcd-uhttpd');

export interface RpcdUhttpdOptions {
  configDir: string;
  users: LoginUser[] | (() => LoginUser[]);
  /** acl.d directories; the stand-in's own (unauthenticated, luci-base) is always first. */
  aclDirs?: string[];
  menuDirs?: string[];
  /** Document roots for `/luci-static/...`; the repo's `htdocs/` and the shell assets by default. */
  htdocs?: string[];
  fsRoot?: string;
  backend?: UbusBackend;
  /** rpcd-mod-luci's `luci` object (`getFeatures`), there whenever LuCI is installed; false for a bare rpcd. */
  luciObject?: boolean;
  callTimeoutMs?: number;
  env?: Record<string, unknown>;
  lang?: string;
  host?: string;
  port?: number;
  onReload?(configs: string[]): void;
}

export interface RpcdUhttpd {
  url: string;
  port: number;
  server: Server;
  sessions: SessionStore;
  uci: UciObject;
  staging: UciStaging;
  dispatcher: JsonRpcDispatcher;
  close(): Promise<void>;
}

function readBody(req: IncomingMessage, limit: number): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) over = true;
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(over ? undefined : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function sendJson(res: ServerResponse, status: number, text: string, close = false): void {
  res.writeHead(status, { 'Content-Type': 'application/json', ...(close ? { Connection: 'close' } : {}) });
  res.end(text);
}

function cookie(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return undefined;
}

export async function startRpcdUhttpd(options: RpcdUhttpdOptions): Promise<RpcdUhttpd> {
  const aclDirs = [join(here, 'acl.d'), ...(options.aclDirs ?? [join(repoRoot, 'luci-app-smartgrid/root/usr/share/rpcd/acl.d')])];
  const users = typeof options.users === 'function' ? options.users : () => options.users as LoginUser[];
  const sessions = new SessionStore(() => loadAclGroups(aclDirs), users);
  const staging = new UciStaging(options.configDir);
  const uci = new UciObject({ staging, sessions, onReload: options.onReload });
  const dispatcher = new JsonRpcDispatcher({
    sessions,
    local: new Map<string, RpcObject>([['session', new SessionObject(sessions)], ['uci', uci], ...(options.luciObject === false ? [] : [['luci', new LuciObject()] as const])]),
    backend: options.backend ?? NO_BACKEND,
    callTimeoutMs: options.callTimeoutMs ?? 60_000,
  });
  const menuDirs = options.menuDirs ?? [join(repoRoot, 'luci-app-smartgrid/root/usr/share/luci/menu.d')];
  const shell: ShellOptions = {
    sessions, menu: () => loadMenu(menuDirs), fsRoot: options.fsRoot ?? '/', env: options.env ?? {},
    resourceVersion: `standin-${Date.now()}`, poDir: join(repoRoot, 'luci-app-smartgrid', 'po'),
  };
  const htdocs = options.htdocs ?? [join(repoRoot, 'htdocs'), join(here, 'www')];

  async function handleUbus(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    if (path === '/ubus' || path === '/ubus/') {
      if (req.method === 'OPTIONS') { res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': 0 }); res.end(); return; }
      if (req.method !== 'POST') { res.writeHead(404); res.end(); return; }
      const body = await readBody(req, MAX_POST_SIZE);
      if (body === undefined) { sendJson(res, 200, formatBlobJson({ jsonrpc: '2.0', id: null, error: ERR.PARSE }), true); req.socket.end(); return; }
      let parsed: unknown;
      try { parsed = JSON.parse(body); } catch { sendJson(res, 200, formatBlobJson({ jsonrpc: '2.0', id: null, error: ERR.PARSE })); return; }
      sendJson(res, 200, formatBlobJson(await dispatcher.handleBody(parsed)));
      return;
    }
    if (req.method === 'GET' && (path === '/ubus/list' || path.startsWith('/ubus/list/'))) {
      const all = await dispatcher.signatures();
      if (path === '/ubus/list') { sendJson(res, 200, formatBlobJson(Object.fromEntries(all))); return; }
      const signature = all.get(decodeURIComponent(path.slice('/ubus/list/'.length)));
      if (signature) sendJson(res, 200, formatBlobJson(signature));
      else sendJson(res, 500, '{"code":4,"message":"Not found"}');
      return;
    }
    if (req.method === 'POST' && path.startsWith('/ubus/call/')) {
      const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
      const body = await readBody(req, MAX_POST_SIZE);
      let parsed: unknown;
      try { parsed = JSON.parse(body ?? ''); } catch { parsed = undefined; }
      sendJson(res, 200, formatBlobJson(await dispatcher.restCall(decodeURIComponent(path.slice('/ubus/call/'.length)), bearer, parsed)));
      return;
    }
    sendJson(res, 500, '{"code":4,"message":"Not found"}');
  }

  async function handleLuci(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const lang = url.searchParams.get('lang') ?? cookie(req, 'smartgrid_lang') ?? options.lang ?? 'en';
    const langCookie = url.searchParams.get('lang') ? [`smartgrid_lang=${encodeURIComponent(lang)}; Path=/`] : [];
    let session = sessions.get(cookie(req, 'sysauth_http'));
    if (req.method === 'POST') {
      const form = new URLSearchParams((await readBody(req, MAX_POST_SIZE)) ?? '');
      const created = sessions.login(form.get('luci_username'), form.get('luci_password'));
      if (!created) {
        res.writeHead(403, { 'Content-Type': 'text/html; charset=utf-8' });
        res.end(loginPage(lang, true));
        return;
      }
      res.writeHead(302, {
        Location: url.pathname,
        'Set-Cookie': [`sysauth_http=${created.id}; path=/cgi-bin/luci/; SameSite=Strict; HttpOnly`, ...langCookie],
      });
      res.end();
      return;
    }
    const route = url.pathname.replace(/^\/cgi-bin\/luci\/?/, '').replace(/\/$/, '');
    if (route === 'admin/logout') {
      if (session) sessions.destroy(session.id);
      res.writeHead(302, { Location: '/cgi-bin/luci/', 'Set-Cookie': 'sysauth_http=; path=/cgi-bin/luci/; Max-Age=0' });
      res.end();
      return;
    }
    if (!session || session.username === undefined) {
      res.writeHead(403, { 'Content-Type': 'text/html; charset=utf-8', 'Set-Cookie': langCookie });
      res.end(loginPage(lang, false));
      return;
    }
    const node = findNode(shell, session, route || 'admin/services/smartgrid');
    if (!node) { res.writeHead(404, { 'Content-Type': 'text/plain' }); res.end('Page not found'); return; }
    if (node.path !== route) { res.writeHead(302, { Location: `/cgi-bin/luci/${node.path}`, 'Set-Cookie': langCookie }); res.end(); return; }
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Set-Cookie': langCookie });
    res.end(viewPage(shell, session, node, lang));
    session = undefined;
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname;
    const work = path === '/ubus' || path.startsWith('/ubus/') ? handleUbus(req, res, path)
      : path === '/' ? Promise.resolve(void res.writeHead(302, { Location: '/cgi-bin/luci/' }).end())
      : path.startsWith('/cgi-bin/luci') ? handleLuci(req, res, url)
      : Promise.resolve(serveStatic(res, htdocs, path) || void res.writeHead(404).end());
    work.catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain' });
      res.end(String(error));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => { server.off('error', reject); resolve(); });
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}`,
    port, server, sessions, uci, staging, dispatcher,
    close: () => new Promise<void>((resolve) => {
      uci.close();
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
