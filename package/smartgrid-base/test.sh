#!/bin/sh
# Runtime check on the target, as the openwrt/packages CI runs it: test.sh <package> <version>

# True when the file exists and only its owner may read or write it (0600). Stock busybox has no
# `stat`: the mode comes from `ls -ln`. A missing file fails.
owner_only() {
	[ -f "$1" ] || return 1
	set -- $(ls -ln "$1")
	[ "$1" = "-rw-------" ]
}

case "$1" in
	smartgrid-base)
		for section in thread halow lte telemetry; do
			[ "$(uci -q get "smartgrid.$section")" = "$section" ] || exit 1
			[ -n "$(uci -q get "smartgrid.$section.enabled")" ] || exit 1
		done
		owner_only /etc/config/smartgrid || exit 1
		owner_only /etc/config/smartgrid_secrets || exit 1
		for schema in /usr/share/smartgrid/schemas/*.schema.json; do
			[ -f "$schema" ] || exit 1
			jsonfilter -i "$schema" -e '@.properties' >/dev/null || exit 1
		done
		;;
esac
