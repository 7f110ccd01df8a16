import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Session, SessionStore } from './sessions.js';

export interface MenuNode {
  path: string;
  title: string;
  order: number;
  action?: { type: string; path?: string };
  depends?: { acl?: string[]; fs?: Record<string, string> };
}

/** Reads LuCI `menu.d/*.json` files into a flat list of nodes keyed by path. */
export function loadMenu(dirs: string[]): MenuNode[] {
  const nodes: MenuNode[] = [];
  for (const dir of dirs) {
    if (!existsSync(dir)) continue;
    for (const file of readdirSync(dir).filter((name) => name.endsWith('.json')).sort()) {
      const parsed = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Record<string, Omit<MenuNode, 'path'>>;
      for (const [path, node] of Object.entries(parsed)) nodes.push({ ...node, path, order: node.order ?? 100 });
    }
  }
  return nodes;
}

export interface ShellOptions {
  sessions: SessionStore;
  menu: () => MenuNode[];
  /** Where `depends.fs` paths are looked up (the device's `/`). */
  fsRoot: string;
  /** Values merged into `L.env` (apply_rollback, apply_holdoff, ...). */
  env: Record<string, unknown>;
  resourceVersion: string;
  /** Where the app's po catalogues live (menu titles and `_()` of the view modules). */
  poDir: string;
}

/** msgid -> msgstr of `luci-app-smartgrid/po/<lang>/smartgrid.po` (LuCI translates menus and view titles from it). */
export function loadCatalogue(poDir: string, lang: string): Record<string, string> {
  const file = join(poDir, lang, 'smartgrid.po');
  if (!/^[a-z]{2}(_[A-Z]{2})?$/.test(lang) || !existsSync(file)) return {};
  const entries: Record<string, string> = {};
  let msgid: string | undefined;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const match = /^(msgid|msgstr) (".*")$/.exec(line);
    if (!match) continue;
    const value = JSON.parse(match[2]!) as string;
    if (match[1] === 'msgid') msgid = value;
    else if (msgid && value) entries[msgid] = value;
  }
  return entries;
}

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function fsSatisfied(root: string, fs: Record<string, string>): boolean {
  return Object.entries(fs).every(([path, kind]) => {
    try {
      const stat = statSync(join(root, path));
      if (kind === 'directory') return stat.isDirectory();
      if (kind === 'executable') return stat.isFile() && (stat.mode & 0o111) !== 0;
      return stat.isFile();
    } catch { return false; }
  });
}

/** LuCI's dispatcher checks: every `depends.acl` group granted, every `depends.fs` path present. */
export function visibleNodes(options: ShellOptions, session: Session): MenuNode[] {
  return options.menu().filter((node) => {
    const acl = node.depends?.acl ?? [];
    if (!acl.every((group) => session.acl['access-group'][group] !== undefined)) return false;
    return !node.depends?.fs || fsSatisfied(options.fsRoot, node.depends.fs);
  });
}

/** LuCI marks a node read-only when its ACL groups are granted read but not write. */
function readonlyNode(node: MenuNode, nodes: MenuNode[], session: Session): boolean {
  const groups = [...(node.depends?.acl ?? [])];
  for (const parent of nodes) if (node.path.startsWith(`${parent.path}/`)) groups.push(...(parent.depends?.acl ?? []));
  return groups.length > 0 && groups.some((group) => !(session.acl['access-group'][group] ?? []).includes('write'));
}

function page(lang: string, title: string, body: string, dataPage = ''): string {
  return `<!DOCTYPE html>
<html lang="${escapeHtml(lang)}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} - OpenWrt (stand-in)</title>
<link rel="stylesheet" href="/luci-static/bootstrap/cascade.css"></head>
<body class="lang_${escapeHtml(lang)}" data-page="${escapeHtml(dataPage)}">${body}</body></html>`;
}

export function loginPage(lang: string, failed: boolean): string {
  return page(lang, 'Login', `
<header><a class="brand" href="/cgi-bin/luci/">OpenWrt</a></header>
<div id="maincontent" class="container">
<form method="post" action="/cgi-bin/luci/" class="cbi-map" id="login-form">
<h2 name="content">Authorization Required</h2>
${failed ? '<div class="alert-message error">Invalid username and/or password! Please try again.</div>' : ''}
<div class="cbi-section"><div class="cbi-section-node">
<div class="cbi-value"><label class="cbi-value-title" for="luci_username">Username</label>
<div class="cbi-value-field"><input class="cbi-input-text" type="text" name="luci_username" id="luci_username" autocomplete="username" value="root"></div></div>
<div class="cbi-value"><label class="cbi-value-title" for="luci_password">Password</label>
<div class="cbi-value-field"><input class="cbi-input-text" type="password" name="luci_password" id="luci_password" autocomplete="current-password"></div></div>
</div></div>
<div class="cbi-page-actions"><button class="btn cbi-button cbi-button-apply" type="submit">Log in</button></div>
</form></div>`);
}

/** The admin page around a LuCI view: header, Services > Smart Grid tabs, `L.env`, the view loader. */
export function viewPage(options: ShellOptions, session: Session, node: MenuNode, lang: string): string {
  const catalogue = loadCatalogue(options.poDir, lang);
  const tr = (text: string) => catalogue[text] || text;
  const nodes = visibleNodes(options, session);
  const parentPath = node.path.split('/').slice(0, -1).join('/');
  const parent = nodes.find((candidate) => candidate.path === parentPath);
  const tabs = nodes
    .filter((candidate) => candidate.path.startsWith(`${parentPath}/`) && candidate.path.split('/').length === node.path.split('/').length)
    .sort((a, b) => a.order - b.order)
    .map((tab) => `<li class="tabmenu-item-${escapeHtml(tab.path.split('/').pop()!)}${tab.path === node.path ? ' active' : ''}"><a href="/cgi-bin/luci/${escapeHtml(tab.path)}">${escapeHtml(tr(tab.title))}</a></li>`)
    .join('');
  const env = {
    media: '/luci-static/bootstrap', resource: '/luci-static/resources', scriptname: '/cgi-bin/luci', pathinfo: `/${node.path}`,
    documentroot: null, requestpath: node.path.split('/'), dispatchpath: node.path.split('/'), pollinterval: 5,
    ubuspath: '/ubus/', sessionid: session.id, token: session.id.split('').reverse().join(''),
    nodespec: { satisfied: true, action: node.action, depends: node.depends ?? {}, order: node.order, title: node.title, readonly: readonlyNode(node, nodes, session) },
    apply_rollback: 90, apply_holdoff: 4, apply_timeout: 5, apply_display: 1.5, rollback_token: null,
    base_url: '/luci-static/resources', resource_version: options.resourceVersion, cgi_base: '/cgi-bin', lang,
    ...options.env,
  };
  const envJson = JSON.stringify(env).replace(/</g, '\\u003c');
  return page(lang, node.title, `
<header><a class="brand" href="/cgi-bin/luci/">OpenWrt</a>
<ul class="nav"><li class="dropdown active"><a class="menu" href="/cgi-bin/luci/${escapeHtml(parentPath)}">Services</a></li></ul>
<span class="user">${escapeHtml(session.username ?? '')} · <a href="/cgi-bin/luci/admin/logout" id="logout">Log out</a></span></header>
<div id="maincontent" class="container">
<h2 class="section-title">${escapeHtml(tr(parent?.title ?? 'Smart Grid'))}</h2>
<ul class="cbi-tabmenu">${tabs}</ul>
<div id="view"><div class="spinning">Loading view…</div></div>
</div>
<script>window.__LUCI_ENV__ = ${envJson}; window.__LUCI_I18N__ = ${JSON.stringify(catalogue).replace(/</g, '\\u003c')};</script>
<script src="/luci-static/resources/luci-shim.js"></script>
<script src="/luci-static/resources/luci-ui-tabs.js"></script>
<script>L.loadView(${JSON.stringify(node.action?.path ?? '')});</script>`, node.path.replace(/\//g, '-'));
}

export function findNode(options: ShellOptions, session: Session, path: string): MenuNode | undefined {
  const nodes = visibleNodes(options, session);
  const exact = nodes.find((node) => node.path === path);
  if (exact?.action?.type === 'view') return exact;
  const children = nodes.filter((node) => node.path.startsWith(`${path}/`) && node.action?.type === 'view').sort((a, b) => a.order - b.order);
  return children[0];
}
