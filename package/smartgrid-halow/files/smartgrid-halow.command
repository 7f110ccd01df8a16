#!/bin/sh
# smartgrid-halow plan ...: the command line of smartgrid-halow; the service itself runs from /etc/init.d/smartgrid-halow.
bundle="${0%/bin/*}/lib/smartgrid/smartgrid-halow.js"
[ -f "$bundle" ] || bundle=/usr/lib/smartgrid/smartgrid-halow.js
case "$1" in
	plan) exec node "$bundle" "$@" ;;
	*) echo "usage: smartgrid-halow plan ...  (the service runs from /etc/init.d/smartgrid-halow)" >&2; exit 2 ;;
esac
