# Stand-in for OpenWrt's rules.mk (TOPDIR=test/stand-ins/openwrt-make): only what the smartgrid
# recipes use, with OpenWrt's values. Expanding a recipe prints it (see include/package.mk).
INCLUDE_DIR:=$(TOPDIR)/include
BUILD_DIR:=$(TOPDIR)/build_dir/target
DL_DIR?=$(TOPDIR)/dl
INSTALL_DIR:=install -d -m0755
INSTALL_BIN:=install -m0755
INSTALL_DATA:=install -m0644
INSTALL_CONF:=install -m0600
CP:=cp -fpR

.PHONY: recipe
recipe: ; @:
