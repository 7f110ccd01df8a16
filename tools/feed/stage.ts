/** Collects, for each package of the catalog, its files (paths, modes, bytes) and maintainer scripts. */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { BUNDLE_DIR, SCHEMA_DIR, SERVICES, UCI_CONFIG_PATH, UCI_SECRETS_PATH, type PackageSpec } from './catalog.js';
import type { PackageFile } from './ipk.js';
import type { OwnScripts } from './openwrt-scripts.js';
import { bundlePath, commandPath, initScriptPath, renderCommandWrapper, renderInitScript, renderLuciPostinst, renderLuciPostrm, renderNodeCheck } from './scripts.js';
import { stageTranslation } from './i18n.js';
import { defaultSections, renderUciCommit, type SectionSchema } from './uci-render.js';

export interface StageOptions {
  repoRoot: string;
  /** Where `make build` put the service bundles; default `<repoRoot>/build/bundles`. */
  bundleDir?: string;
}

export interface StagedPackage {
  spec: PackageSpec;
  files: PackageFile[];
  /** The package's own maintainer scripts; the format's wrappers (openwrt-scripts.ts) call them. */
  scripts: OwnScripts;
}

const EXECUTABLE = 0o755;
const READABLE = 0o644;
/** The config holds passwords, tokens and SAE keys (x-secret options): root only. */
const SECRET = 0o600;

/** Regular files under `dir`, skipping dotfiles and source maps; `[]` when `dir` does not exist. */
function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const found: string[] = [];
  const walk = (current: string) => {
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      if (entry.name.startsWith('.') || entry.name.endsWith('.map')) continue;
      const full = join(current, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile()) found.push(full);
    }
  };
  walk(dir);
  return found.sort();
}

function devicePath(base: string, dir: string, file: string): string {
  return `${base}/${relative(dir, file).split(sep).join('/')}`.replace(/^\/\//, '/');
}

/** A copied tree keeps only the executable bit of the source: 0755 or 0644. */
function copyTree(dir: string, base: string): PackageFile[] {
  return listFiles(dir).map((file) => ({
    path: devicePath(base, dir, file),
    mode: statSync(file).mode & 0o111 ? EXECUTABLE : READABLE,
    content: readFileSync(file),
  }));
}

export function readSchemas(repoRoot: string): Map<string, SectionSchema & { file: string }> {
  const dir = join(repoRoot, 'src', 'lib', 'config', 'schemas');
  const schemas = new Map<string, SectionSchema & { file: string }>();
  for (const file of listFiles(dir).filter((f) => f.endsWith('.schema.json'))) {
    const type = file.slice(file.lastIndexOf(sep) + 1).replace(/\.schema\.json$/, '');
    schemas.set(type, { ...(JSON.parse(readFileSync(file, 'utf8')) as SectionSchema), file });
  }
  return schemas;
}

function stageBase(repoRoot: string): PackageFile[] {
  const schemas = readSchemas(repoRoot);
  const files: PackageFile[] = [
    { path: UCI_CONFIG_PATH, mode: SECRET, content: Buffer.from(renderUciCommit(defaultSections(SERVICES, schemas))) },
    { path: UCI_SECRETS_PATH, mode: SECRET, content: Buffer.from(renderUciCommit(SERVICES.map((name) => ({ type: name, name, options: [] })))) },
  ];
  for (const [type, schema] of schemas) {
    files.push({ path: `${SCHEMA_DIR}/${type}.schema.json`, mode: READABLE, content: readFileSync(schema.file) });
  }
  // Device files kept as files beside the recipe: the uci-defaults migration of secrets (run by postinst
  // and at first boot) and /usr/sbin/smartgrid-openwisp-test.
  return [...files, ...copyTree(join(repoRoot, 'package', 'smartgrid-base', 'files'), '')];
}

function stageService(spec: PackageSpec, bundleDir: string): PackageFile[] {
  const service = spec.service!;
  const bundle = join(bundleDir, `smartgrid-${service.name}.js`);
  if (!existsSync(bundle)) throw new Error(`${spec.name}: bundle ${bundle} is missing; run 'make build' first`);
  if (!bundlePath(service).startsWith(`${BUNDLE_DIR}/`)) throw new Error('bundle outside the bundle dir');
  const command = service.subcommands?.length ? [{ path: commandPath(service), mode: EXECUTABLE, content: Buffer.from(renderCommandWrapper(spec)) }] : [];
  return [
    { path: bundlePath(service), mode: EXECUTABLE, content: readFileSync(bundle) },
    { path: initScriptPath(service), mode: EXECUTABLE, content: Buffer.from(renderInitScript(spec)) },
    ...command,
  ];
}

/** The app's root/ as is, plus the web files: the repo's built htdocs/ and the app's own htdocs/. */
function stageLuci(repoRoot: string): PackageFile[] {
  const app = join(repoRoot, 'luci-app-smartgrid');
  const files = [...copyTree(join(app, 'root'), ''), ...copyTree(join(repoRoot, 'htdocs'), '/www'), ...copyTree(join(app, 'htdocs'), '/www')];
  const seen = new Set<string>();
  for (const file of files) {
    if (seen.has(file.path)) throw new Error(`luci-app-smartgrid: ${file.path} comes from two places (htdocs/ and luci-app-smartgrid/htdocs/)`);
    seen.add(file.path);
  }
  return files;
}

export function stagePackage(spec: PackageSpec, options: StageOptions): StagedPackage {
  const bundleDir = options.bundleDir ?? join(options.repoRoot, 'build', 'bundles');
  switch (spec.kind) {
    case 'base':
      return { spec, files: stageBase(options.repoRoot), scripts: {} };
    case 'service':
      return {
        spec,
        files: stageService(spec, bundleDir),
        scripts: { postinst: renderNodeCheck(spec) },
      };
    case 'luci': {
      const files = stageLuci(options.repoRoot);
      const uciDefaults = files.filter((f) => f.path.startsWith('/etc/uci-defaults/')).map((f) => f.path.slice('/etc/uci-defaults/'.length));
      return { spec, files, scripts: { postinst: renderLuciPostinst(uciDefaults), postrm: renderLuciPostrm() } };
    }
    case 'i18n':
      return { spec, ...stageTranslation(options.repoRoot, spec.lang!) };
    case 'files':
      return { spec, files: copyTree(join(options.repoRoot, 'package', spec.name, 'files'), ''), scripts: {} };
  }
}
