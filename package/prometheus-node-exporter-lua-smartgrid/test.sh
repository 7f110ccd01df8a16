#!/bin/sh
# Runtime check on the target, as the openwrt/packages CI runs it: test.sh <package> <version>

case "$1" in
	prometheus-node-exporter-lua-smartgrid)
		lua -e 'assert(loadfile("/usr/lib/lua/prometheus-collectors/smartgrid.lua"))' || exit 1
		;;
esac
