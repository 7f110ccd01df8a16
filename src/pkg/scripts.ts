/**
 * Shell files of the packages: the procd init script of each service and the maintainer scripts.
 * The maintainer scripts do what OpenWrt's default_postinst/default_prerm (lib/functions.sh) do for a
 * package with an init script, without needing that file: in an image build (IPKG_INSTROOT set) only
 * the /etc/rc.d links change; on a running device the service is enabled and started, and on upgrade
 * an admin's disable is kept.
 */
import { BUNDLE_DIR, NODE_BINARY, UCI_CONFIG_PATH, UCI_SECRETS_PATH, type PackageSpec, type ServiceSpec } from './catalog.js';

export function initScriptPath(service: ServiceSpec): string {
  return `/etc/init.d/smartgrid-${service.name}`;
}

export function bundlePath(service: ServiceSpec): string {
  return `${BUNDLE_DIR}/smartgrid-${service.name}.js`;
}

export function renderInitScript(spec: PackageSpec): string {
  const service = spec.service;
  if (!service) throw new Error(`${spec.name} is not a service package`);
  const name = `smartgrid-${service.name}`;
  return `#!/bin/sh /etc/rc.common
# ${name}: ${spec.title}.
# Runs under procd; configured by section '${service.name}' of ${UCI_CONFIG_PATH}.
# 'uci set smartgrid.${service.name}.enabled=0; uci commit smartgrid' stops it, =1 starts it again.

START=95
STOP=10
USE_PROCD=1

SMARTGRID_SERVICE=${name}
SMARTGRID_SECTION=${service.name}

smartgrid_section_enabled() {
	local enabled
	config_load smartgrid
	config_get_bool enabled "$SMARTGRID_SECTION" enabled 1
	[ "$enabled" = 1 ]
}

start_service() {
	if ! smartgrid_section_enabled; then
		logger -t "$SMARTGRID_SERVICE" "not started: smartgrid.$SMARTGRID_SECTION.enabled is 0"
		return 0
	fi
	procd_open_instance
	procd_set_param command ${[NODE_BINARY, ...service.nodeFlags, bundlePath(service)].join(' ')}
	procd_set_param respawn
	procd_set_param stdout 1
	procd_set_param stderr 1
	procd_set_param term_timeout ${service.termTimeout}
	procd_set_param file ${UCI_CONFIG_PATH} ${UCI_SECRETS_PATH}
	procd_close_instance
}

service_triggers() {
	procd_add_reload_trigger smartgrid smartgrid_secrets
}

# A config change reloads the running daemon with SIGHUP (it re-reads and validates its section and
# keeps the last good config on errors); switching 'enabled' starts or stops the instance instead.
reload_service() {
	if smartgrid_section_enabled && procd_running "$SMARTGRID_SERVICE"; then
		procd_send_signal "$SMARTGRID_SERVICE" '*' HUP
	else
		start
	fi
}
`;
}

export function renderServicePostinst(spec: PackageSpec): string {
  const initscript = initScriptPath(spec.service!);
  return `#!/bin/sh
[ "\${IPKG_NO_SCRIPT}" = "1" ] && exit 0
initscript=${initscript}
if [ -n "\${IPKG_INSTROOT}" ]; then
	[ -f "\${IPKG_INSTROOT}/etc/rc.common" ] && /bin/sh "\${IPKG_INSTROOT}/etc/rc.common" "\${IPKG_INSTROOT}\${initscript}" enable
	exit 0
fi
if [ "\${PKG_UPGRADE}" = "1" ]; then
	"$initscript" enabled && "$initscript" restart
else
	"$initscript" enable
	"$initscript" restart
fi
exit 0
`;
}

export function renderServicePrerm(spec: PackageSpec): string {
  const initscript = initScriptPath(spec.service!);
  return `#!/bin/sh
initscript=${initscript}
if [ -n "\${IPKG_INSTROOT}" ]; then
	[ -f "\${IPKG_INSTROOT}/etc/rc.common" ] && /bin/sh "\${IPKG_INSTROOT}/etc/rc.common" "\${IPKG_INSTROOT}\${initscript}" disable
	exit 0
fi
[ "\${PKG_UPGRADE}" = "1" ] || "$initscript" disable
"$initscript" stop
exit 0
`;
}

/** LuCI: run the app's uci-defaults like luci.mk does, drop LuCI's caches, let rpcd re-read its ACLs. */
export function renderLuciPostinst(uciDefaults: readonly string[]): string {
  const defaults = uciDefaults
    .map((script) => `\t( . /etc/uci-defaults/${script} ) && rm -f /etc/uci-defaults/${script}\n`)
    .join('');
  return `#!/bin/sh
[ "\${IPKG_NO_SCRIPT}" = "1" ] && exit 0
[ -n "\${IPKG_INSTROOT}" ] || {
${defaults}\trm -f /tmp/luci-indexcache /tmp/luci-indexcache.*
	rm -rf /tmp/luci-modulecache/
	[ -x /etc/init.d/rpcd ] && /etc/init.d/rpcd reload
	exit 0
}
`;
}

export function renderLuciPostrm(): string {
  return `#!/bin/sh
[ -n "\${IPKG_INSTROOT}" ] || {
	rm -f /tmp/luci-indexcache /tmp/luci-indexcache.*
	rm -rf /tmp/luci-modulecache/
	exit 0
}
`;
}
