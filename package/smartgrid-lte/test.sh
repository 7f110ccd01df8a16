#!/bin/sh
# Runtime check on the target, as the openwrt/packages CI runs it: test.sh <package> <version>

case "$1" in
	smartgrid-lte)
		node --version || exit 1
		node --check /usr/lib/smartgrid/smartgrid-lte.js || exit 1
		[ -x /etc/init.d/smartgrid-lte ] || exit 1
		sh -n /etc/init.d/smartgrid-lte || exit 1
		grep -q '^USE_PROCD=1' /etc/init.d/smartgrid-lte || exit 1
		[ "$(uci -q get smartgrid.lte)" = "lte" ] || exit 1
		;;
esac
