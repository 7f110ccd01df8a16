#!/bin/sh
# Runtime check on the target, as the openwrt/packages CI runs it: test.sh <package> <version>

case "$1" in
	smartgrid-base)
		for section in thread halow lte telemetry; do
			[ "$(uci -q get "smartgrid.$section")" = "$section" ] || exit 1
			[ -n "$(uci -q get "smartgrid.$section.enabled")" ] || exit 1
		done
		[ "$(stat -c %a /etc/config/smartgrid 2>/dev/null || echo 600)" = 600 ] || exit 1
		for schema in /usr/share/smartgrid/schemas/*.schema.json; do
			[ -f "$schema" ] || exit 1
			jsonfilter -i "$schema" -e '@.properties' >/dev/null || exit 1
		done
		;;
esac
