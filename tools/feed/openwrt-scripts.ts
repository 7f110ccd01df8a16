/**
 * The maintainer scripts OpenWrt's build writes around a package's own ones (include/package-pack.mk):
 * for ipk a postinst/prerm that source /lib/functions.sh and call default_postinst/default_prerm, the
 * package's own scripts shipped as postinst-pkg/prerm-pkg; for apk the post-install, post-upgrade,
 * pre-deinstall and post-deinstall scripts with the own script's body appended.
 */
import type { ScriptName } from './apk/schema.js';

export interface OwnScripts {
  postinst?: string;
  prerm?: string;
  postrm?: string;
}

const NO_SCRIPT_GUARD = '[ "${IPKG_NO_SCRIPT}" = "1" ] && exit 0\n';
const FUNCTIONS_GUARD = '[ -s ${IPKG_INSTROOT}/lib/functions.sh ] || exit 0\n. ${IPKG_INSTROOT}/lib/functions.sh\n';

/** Control-archive scripts of an ipk, by file name. */
export function ipkControlScripts(own: OwnScripts): Record<string, string> {
  const scripts: Record<string, string> = {
    postinst: `#!/bin/sh\n${NO_SCRIPT_GUARD}${FUNCTIONS_GUARD}default_postinst $0 $@\n`,
    prerm: `#!/bin/sh\n${FUNCTIONS_GUARD}default_prerm $0 $@\n`,
  };
  if (own.postinst) scripts['postinst-pkg'] = own.postinst;
  if (own.prerm) scripts['prerm-pkg'] = own.prerm;
  if (own.postrm) scripts.postrm = own.postrm;
  return scripts;
}

/** `sed '/^\s*#!/d'`: the own script's lines without its interpreter line. */
function body(script: string | undefined): string {
  return (script ?? '').split('\n').filter((line) => !/^\s*#!/.test(line)).join('\n');
}

/** The apk scripts of package `name` (no ABI version), by apk script type. */
export function apkScripts(name: string, own: OwnScripts): Partial<Record<ScriptName, string>> {
  const preamble = `${FUNCTIONS_GUARD}export root="\${IPKG_INSTROOT}"\nexport pkgname="${name}"\n`;
  const postInstall = `#!/bin/sh\n${NO_SCRIPT_GUARD}${preamble}add_group_and_user\ndefault_postinst\n${body(own.postinst)}`;
  const scripts: Partial<Record<ScriptName, string>> = {
    'post-install': postInstall,
    'post-upgrade': `#!/bin/sh\nexport PKG_UPGRADE=1\n${body(postInstall)}`,
    'pre-deinstall': `#!/bin/sh\n${preamble}default_prerm\n${body(own.prerm)}`,
  };
  if (own.postrm) scripts['post-deinstall'] = own.postrm.replace(/^\s*#!/, '#!');
  return scripts;
}
