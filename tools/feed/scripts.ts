/**
 * Shell files of the packages: the procd init script of each service and each package's own
 * maintainer scripts (OpenWrt's Package/<name>/postinst, prerm, postrm). Enabling, starting and
 * stopping the init scripts is left to OpenWrt's default_postinst/default_prerm, which the wrappers
 * in openwrt-scripts.ts call, as every OpenWrt package does.
 */
import { BUNDLE_DIR, NODE_BINARY, NODE_MIN_MAJOR, UCI_CONFIG_PATH, UCI_SECRETS_PATH, type PackageSpec, type ServiceSpec } from './catalog.js';

export function initScriptPath(service: ServiceSpec): string {
  return `/etc/init.d/smartgrid-${service.name}`;
}

export function bundlePath(service: ServiceSpec): string {
  return `${BUNDLE_DIR}/smartgrid-${service.name}.js`;
}

export function commandPath(service: ServiceSpec): string {
  return `/usr/bin/smartgrid-${service.name}`;
}

/**
 * `/usr/bin/smartgrid-<name>`: runs the bundle's subcommands only (the daemon itself is procd's, started
 * by the init script). The bundle is found beside the command (../lib/smartgrid), so the same file works
 * in an offline root; on the device that is /usr/lib/smartgrid.
 */
export function renderCommandWrapper(spec: PackageSpec): string {
  const service = spec.service;
  if (!service?.subcommands?.length) throw new Error(`${spec.name} has no subcommands`);
  const name = `smartgrid-${service.name}`;
  const list = service.subcommands.join('|');
  return `#!/bin/sh
# ${name} ${list} ...: the command line of ${spec.name}; the service itself runs from /etc/init.d/${name}.
bundle="\${0%/bin/*}/lib/smartgrid/${name}.js"
[ -f "$bundle" ] || bundle=${bundlePath(service)}
case "$1" in
	${list}) exec node "$bundle" "$@" ;;
	*) echo "usage: ${name} ${service.subcommands.map((sub) => `${sub} ...`).join(' | ')}  (the service runs from /etc/init.d/${name})" >&2; exit 2 ;;
esac
`;
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

/**
 * The service packages' own postinst (OpenWrt's Package/<name>/postinst, run by default_postinst
 * before it enables and starts the init script): on a running device, a clear message and a failed
 * postinst when node is missing or older than the services need.
 */
export function renderNodeCheck(spec: PackageSpec): string {
  return `#!/bin/sh
[ -n "\${IPKG_INSTROOT}" ] && exit 0
node_version=$(${NODE_BINARY} -v 2>/dev/null)
node_major=\${node_version#v}
node_major=\${node_major%%.*}
case "$node_major" in
''|*[!0-9]*)
	echo "${spec.name}: ${NODE_BINARY} is missing or does not run; the smartgrid services need node >= ${NODE_MIN_MAJOR}." >&2
	echo "${spec.name}: OpenWrt 23.05/24.10: opkg install node. OpenWrt 25.12: build node from the node feed (README, 'Supported OpenWrt releases')." >&2
	exit 1 ;;
esac
if [ "$node_major" -lt ${NODE_MIN_MAJOR} ]; then
	echo "${spec.name}: node $node_version is too old; the smartgrid services need node >= ${NODE_MIN_MAJOR} (README, 'Supported OpenWrt releases')." >&2
	exit 1
fi
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
