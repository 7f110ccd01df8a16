#!/bin/sh
# Runtime check on the target, as the openwrt/packages CI runs it: test.sh <package> <version>

case "$1" in
	luci-app-smartgrid)
		for file in /usr/share/luci/menu.d/*smartgrid*.json /usr/share/rpcd/acl.d/*smartgrid*.json; do
			[ -f "$file" ] || exit 1
			jsonfilter -i "$file" -e '@' >/dev/null || exit 1
		done
		[ -d /www/luci-static/resources/view/smartgrid ] || exit 1
		;;
esac
