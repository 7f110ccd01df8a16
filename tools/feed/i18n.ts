/**
 * LuCI translations the way luci.mk packages them: one `luci-i18n-smartgrid-<lang>` package per
 * directory of luci-app-smartgrid/po/ (except templates), holding the compiled
 * /usr/lib/lua/luci/i18n/<name>.<lang>.lmo files and a uci-defaults script that registers the
 * language with LuCI.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PackageSpec } from './catalog.js';
import type { PackageFile } from './ipk.js';
import { compileLmo } from './lmo.js';
import type { OwnScripts } from './openwrt-scripts.js';

const APP = 'luci-app-smartgrid';
const BASENAME = 'smartgrid';

/** Language titles of luci.mk (LUCI_LANG.<code>). */
const LANGUAGE_TITLES: Readonly<Record<string, string>> = {
  ca: 'Català (Catalan)', cs: 'Čeština (Czech)', da: 'Dansk (Danish)', de: 'Deutsch (German)', el: 'Ελληνικά (Greek)',
  en: 'English', es: 'Español (Spanish)', fr: 'Français (French)', he: 'עִבְרִית (Hebrew)', hu: 'Magyar (Hungarian)',
  it: 'Italiano (Italian)', ja: '日本語 (Japanese)', ms: 'Bahasa Melayu (Malay)', no: 'Norsk (Norwegian)', pl: 'Polski (Polish)',
  'pt-br': 'Português do Brasil (Brazialian Portuguese)', pt: 'Português (Portuguese)', ro: 'Română (Romanian)',
  ru: 'Русский (Russian)', sk: 'Slovenčina (Slovak)', sv: 'Svenska (Swedish)', tr: 'Türkçe (Turkish)',
  uk: 'украї́нська (Ukrainian)', vi: 'Tiếng Việt (Vietnamese)', 'zh-cn': '普通话 (Chinese)', 'zh-tw': '臺灣華語 (Taiwanese)',
};

function poDir(repoRoot: string): string {
  return join(repoRoot, APP, 'po');
}

export function translationLanguages(repoRoot: string): string[] {
  const dir = poDir(repoRoot);
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && entry.name !== 'templates')
    .map((entry) => entry.name)
    .sort();
}

export function translationSpec(lang: string): PackageSpec {
  return {
    name: `luci-i18n-${BASENAME}-${lang}`,
    kind: 'i18n',
    title: `${APP} - ${lang} translation`,
    description: `Translation for ${APP} - ${LANGUAGE_TITLES[lang] ?? lang}`,
    section: 'luci',
    depends: [APP],
    conffiles: [],
    sourceName: APP,
    lang,
  };
}

export function stageTranslation(repoRoot: string, lang: string): { files: PackageFile[]; scripts: OwnScripts } {
  const defaultsName = `luci-i18n-${BASENAME}-${lang}`;
  const title = (LANGUAGE_TITLES[lang] ?? lang).replace(/'/g, `'\\''`);
  const files: PackageFile[] = [{
    path: `/etc/uci-defaults/${defaultsName}`,
    mode: 0o644,
    content: Buffer.from(`uci set luci.languages.${lang.replace(/-/g, '_')}='${title}'; uci commit luci\n`),
  }];
  const dir = join(poDir(repoRoot), lang);
  for (const po of readdirSync(dir).filter((name) => name.endsWith('.po')).sort()) {
    const lmo = compileLmo(readFileSync(join(dir, po), 'utf8'));
    if (lmo) files.push({ path: `/usr/lib/lua/luci/i18n/${po.slice(0, -3)}.${lang}.lmo`, mode: 0o644, content: lmo });
  }
  const postinst = `#!/bin/sh\n[ -n "\${IPKG_INSTROOT}" ] || {\n\t(. /etc/uci-defaults/${defaultsName}) && rm -f /etc/uci-defaults/${defaultsName}\n\texit 0\n}\n`;
  return { files, scripts: { postinst } };
}
