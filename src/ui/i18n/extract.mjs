#!/usr/bin/env node
// Collects every translatable string of luci-app-smartgrid into po/templates/smartgrid.pot and
// merges it into po/<lang>/smartgrid.po (existing translations kept, new ones empty, stale ones
// dropped). `--check` fails when a language misses a translation.
//   node src/ui/i18n/extract.mjs [--check]
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parsePo } from '../build-plugins.mjs';

const root = new URL('../../..', import.meta.url).pathname;
const poDir = join(root, 'luci-app-smartgrid', 'po');
const LANGUAGES = ['en', 'es'];
/** State words the services report and the pages translate when they show them. */
const STATE_WORDS = ['local broker down', 'upstream down', 'running', 'starting', 'stopping', 'stopped', 'config-error', 'start-failed', 'not-implemented', 'not running',
  'connected', 'connecting', 'disconnected', 'backoff', 'disabled', 'up', 'down', 'terminal', 'unknown', 'idle', 'escalating', 'waiting',
  'ok', 'warning', 'exceeded', 'queue-full', 'normal', 'data-saving', 'alarm', 'event', 'telemetry', 'registered', 'searching',
  'home', 'roaming', 'denied', 'failed', 'locked', 'enabled', 'enabling', 'disabling', 'initializing', 'good', 'fair', 'poor'];

const found = new Map();
const add = (text, where) => {
  if (!text) return;
  if (!found.has(text)) found.set(text, new Set());
  found.get(text).add(where);
};

function walk(dir, filter, out = []) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, filter, out);
    else if (filter.test(name)) out.push(path);
  }
  return out;
}

const CALL = /\b_\(\s*(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)")/g;
const unescape = (text) => text.replace(/\\(.)/g, '$1');
for (const file of [...walk(join(root, 'src', 'ui'), /\.(tsx?|mjs)$/), ...walk(join(root, 'htdocs', 'luci-static', 'resources', 'view'), /\.js$/)]) {
  if (file.endsWith('extract.mjs')) continue;
  const text = readFileSync(file, 'utf8');
  for (const match of text.matchAll(CALL)) {
    const line = text.slice(0, match.index).split('\n').length;
    add(unescape(match[1] ?? match[2]), `${relative(root, file)}:${line}`);
  }
}
for (const file of walk(join(root, 'src', 'ui'), /\.tsx?$/)) {
  // Titles passed as data (TITLES maps, STEP_TITLES, placeholder titles) are marked with a trailing `// i18n` comment.
  const text = readFileSync(file, 'utf8');
  text.split('\n').forEach((line, index) => {
    if (!line.includes('// i18n')) return;
    for (const match of line.matchAll(/'((?:[^'\\]|\\.)*)'/g)) if (/[A-Z]/.test(match[1][0])) add(unescape(match[1]), `${relative(root, file)}:${index + 1}`);
  });
}
const menu = JSON.parse(readFileSync(join(root, 'luci-app-smartgrid/root/usr/share/luci/menu.d/luci-app-smartgrid.json'), 'utf8'));
for (const [path, node] of Object.entries(menu)) add(node.title, `menu.d:${path}`);
const schemaDir = join(root, 'src', 'lib', 'config', 'schemas');
for (const file of readdirSync(schemaDir).filter((name) => name.endsWith('.schema.json')).sort()) {
  const schema = JSON.parse(readFileSync(join(schemaDir, file), 'utf8'));
  add(schema.title, `${file}`);
  add(schema.description, `${file}`);
  for (const [option, spec] of Object.entries(schema.properties)) {
    add(spec.title, `${file}#${option}`);
    add(spec.description, `${file}#${option}`);
    add(spec['x-group'], `${file}#${option}`);
    for (const choice of spec.enum ?? []) if (typeof choice === 'string') add(choice, `${file}#${option}`);
  }
}
for (const word of STATE_WORDS) add(word, 'state');

const quote = (text) => JSON.stringify(text);
const header = (lang) => `msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n${lang ? `"Language: ${lang}\\n"\n` : ''}\n`;
const ids = [...found.keys()].sort((a, b) => a.localeCompare(b));
const entry = (id, str) => `#: ${[...found.get(id)].slice(0, 3).join(' ')}\nmsgid ${quote(id)}\nmsgstr ${quote(str)}\n\n`;
const check = process.argv.includes('--check');
let missing = 0;
if (!check) writeFileSync(join(poDir, 'templates', 'smartgrid.pot'), header('') + ids.map((id) => entry(id, '')).join(''));
for (const lang of LANGUAGES) {
  const file = join(poDir, lang, 'smartgrid.po');
  const existing = existsSync(file) ? parsePo(readFileSync(file, 'utf8')) : {};
  const untranslated = ids.filter((id) => !existing[id]);
  missing += untranslated.length;
  if (check) { for (const id of untranslated) console.error(`${lang}: missing translation of ${quote(id)}`); continue; }
  writeFileSync(file, header(lang) + ids.map((id) => entry(id, existing[id] ?? (lang === 'en' ? id : ''))).join(''));
  console.log(`${lang}: ${ids.length - untranslated.length}/${ids.length} translated`);
}
if (check) {
  console.log(`${ids.length} strings, ${missing} translations missing`);
  process.exit(missing ? 1 : 0);
}
