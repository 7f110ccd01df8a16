#!/bin/sh
# Runtime check on the target, as the openwrt/packages CI runs it: test.sh <package> <version>

case "$1" in
	smartgrid-telemetry)
		node --version || exit 1
		node --check /usr/lib/smartgrid/smartgrid-telemetry.js || exit 1
		# The queue directory lock is an flock held by busybox's flock applet.
		command -v flock >/dev/null || exit 1
		[ -x /etc/init.d/smartgrid-telemetry ] || exit 1
		sh -n /etc/init.d/smartgrid-telemetry || exit 1
		grep -q '^USE_PROCD=1' /etc/init.d/smartgrid-telemetry || exit 1
		[ "$(uci -q get smartgrid.telemetry)" = "telemetry" ] || exit 1
		;;
esac
