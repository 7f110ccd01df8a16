#!/bin/sh
# Runtime check on the target, as the openwrt/packages CI runs it: test.sh <package> <version>

case "$1" in
	smartgrid-sep2)
		node --version || exit 1
		node --check /usr/lib/smartgrid/smartgrid-sep2.js || exit 1
		[ -x /etc/init.d/smartgrid-sep2 ] || exit 1
		sh -n /etc/init.d/smartgrid-sep2 || exit 1
		grep -q '^USE_PROCD=1' /etc/init.d/smartgrid-sep2 || exit 1
		[ "$(uci -q get smartgrid.sep2)" = "sep2" ] || exit 1
		;;
esac
