# Stand-in for the package-script part of OpenWrt base-files' /lib/functions.sh: default_postinst,
# default_prerm and add_group_and_user as OpenWrt 24.10 has them (opkg: $1 is the script path, the
# file list is usr/lib/opkg/info/<pkg>.list) plus the 25.12 apk form (no arguments, pkgname and root
# exported by the script, file list lib/apk/packages/<pkg>.list). Users (Require-User), kmods,
# sysctl and rootfs-overlay are not handled: no smartgrid package uses them.

smartgrid_standin_filelist() {
	if [ -f "$root/lib/apk/packages/${pkgname}.list" ]; then
		echo "$root/lib/apk/packages/${pkgname}.list"
	else
		echo "$root/usr/lib/opkg/info/${pkgname}.list"
	fi
}

add_group_and_user() {
	return 0
}

default_postinst() {
	local root="${IPKG_INSTROOT}"
	local pkgname="${pkgname:-$(basename ${1%.*})}"
	local filelist="$(smartgrid_standin_filelist)"
	local ret=0

	if [ -f "$root/usr/lib/opkg/info/${pkgname}.postinst-pkg" ]; then
		( . "$root/usr/lib/opkg/info/${pkgname}.postinst-pkg" )
		ret=$?
	fi

	if [ -z "$root" ] && grep -q -s "^/etc/uci-defaults/" "$filelist"; then
		for i in $(sed -ne 's!^/etc/uci-defaults/!!p' "$filelist"); do (
			cd /etc/uci-defaults
			[ -f "$i" ] && . ./"$i" && rm -f "$i"
		) done
	fi

	[ -n "$root" ] || rm -f /tmp/luci-indexcache 2>/dev/null

	for i in $(grep -s "^/etc/init.d/" "$filelist"); do
		if [ -n "$root" ]; then
			/bin/sh "$root/etc/rc.common" "$root$i" enable
		else
			if [ "$PKG_UPGRADE" != "1" ]; then
				"$i" enable
			fi
			"$i" start
		fi
	done

	return $ret
}

default_prerm() {
	local root="${IPKG_INSTROOT}"
	local pkgname="${pkgname:-$(basename ${1%.*})}"
	local filelist="$(smartgrid_standin_filelist)"
	local ret=0

	if [ -f "$root/usr/lib/opkg/info/${pkgname}.prerm-pkg" ]; then
		( . "$root/usr/lib/opkg/info/${pkgname}.prerm-pkg" )
		ret=$?
	fi

	for i in $(grep -s "^/etc/init.d/" "$filelist"); do
		if [ -n "$root" ]; then
			/bin/sh "$root/etc/rc.common" "$root$i" disable
		else
			if [ "$PKG_UPGRADE" != "1" ]; then
				"$i" disable
			fi
			"$i" stop
		fi
	done

	return $ret
}
