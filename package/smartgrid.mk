# Shared by the smartgrid recipes (package/*/Makefile and luci-app-smartgrid/Makefile).
# The including Makefile sets SMARTGRID_ROOT to the repository root first.
#
# The recipes build from the release tarball `make dist` makes (PKG_SOURCE): the TypeScript services
# and LuCI pages are already bundled there, as smartgrid-<version>/root/<package>/<device path>. The
# SDK downloads it like any source (or finds it in dl/), unpacks it and installs the files: no node,
# npm or network during Build/Compile, nothing written into the feed checkout. The packages are
# architecture independent (PKGARCH:=all): the same recipe gives an ipk (23.05, 24.10) or an apk
# (25.12, CONFIG_USE_APK), as the SDK decides. On the device they need node (Depends with a version).

SMARTGRID_VERSION:=$(shell sed -n 's/^[[:space:]]*"version":[[:space:]]*"\([^"]*\)".*/\1/p' $(SMARTGRID_ROOT)/package.json | head -n 1)

PKG_VERSION:=$(SMARTGRID_VERSION)
PKG_RELEASE:=1
PKG_LICENSE:=Apache-2.0
PKG_MAINTAINER:=smartgrid maintainers <smartgrid@example.invalid>

include $(SMARTGRID_ROOT)/package/release.mk
PKG_SOURCE:=smartgrid-$(PKG_VERSION).tar.gz
PKG_SOURCE_URL:=$(SMARTGRID_SOURCE_URL)
PKG_HASH:=$(SMARTGRID_SOURCE_HASH)

# The oldest node the bundles run on. OpenWrt's node versions carry node's 'v' (v18.20.4-1) for
# opkg; apk versions cannot (node>=18). EXTRA_DEPENDS needs the operator joined to the version.
SMARTGRID_NODE_DEPENDS:=node (>=$(if $(CONFIG_USE_APK),,v)18)

# Unpacks package $(1)'s files from the tarball into $(PKG_BUILD_DIR)/root.
define Smartgrid/Unpack
	rm -rf $(PKG_BUILD_DIR)/dist $(PKG_BUILD_DIR)/root
	mkdir -p $(PKG_BUILD_DIR)/dist
	tar -C $(PKG_BUILD_DIR)/dist --strip-components=1 -xzf $(DL_DIR)/$(PKG_SOURCE)
	mv $(PKG_BUILD_DIR)/dist/root/$(1) $(PKG_BUILD_DIR)/root
	rm -rf $(PKG_BUILD_DIR)/dist
endef

# Fields every smartgrid package shares, used as OpenWrt feeds do:
#   define Package/smartgrid-x
#   $(call Package/smartgrid/Default)
#     TITLE:=...
#   endef
define Package/smartgrid/Default
  SECTION:=net
  CATEGORY:=Network
  SUBMENU:=smartgrid
  PKGARCH:=all
endef

# Build steps of package $(1): Build/Prepare unpacks its files from the tarball; there is nothing to
# compile. $(eval) this AFTER `include $(INCLUDE_DIR)/package.mk`, which defines its own Build/Prepare,
# Build/Configure and Build/Compile (the last definition wins).
define Smartgrid/BuildSteps
define Build/Prepare
	$$(call Smartgrid/Unpack,$(1))
endef

define Build/Configure
endef

define Build/Compile
endef
endef

# The whole recipe of service package smartgrid-$(1) (thread, halow, lte, telemetry, sep2): its one bundle,
# its init script (files/smartgrid-$(1).init beside the recipe) and, when the catalog gives it
# subcommands, its command /usr/bin/smartgrid-$(1) (files/smartgrid-$(1).command), depending on node and
# smartgrid-base (plus SMARTGRID_EXTRA_DEPENDS). The recipe sets SMARTGRID_TITLE and SMARTGRID_DESCRIPTION first and, like
# Smartgrid/BuildSteps, $(eval)s this after package.mk.
define Smartgrid/ServicePackage
$(call Smartgrid/BuildSteps,smartgrid-$(1))

define Package/smartgrid-$(1)
$$(call Package/smartgrid/Default)
  TITLE:=$(SMARTGRID_TITLE)
  DEPENDS:=+node +smartgrid-base $(SMARTGRID_EXTRA_DEPENDS)
  EXTRA_DEPENDS:=$(SMARTGRID_NODE_DEPENDS)
endef

define Package/smartgrid-$(1)/description
$(SMARTGRID_DESCRIPTION)
endef

define Package/smartgrid-$(1)/install
	$$(INSTALL_DIR) $$(1)/usr/lib/smartgrid $$(1)/etc/init.d
	$$(INSTALL_BIN) $$(PKG_BUILD_DIR)/root/usr/lib/smartgrid/smartgrid-$(1).js $$(1)/usr/lib/smartgrid/
	$$(INSTALL_BIN) ./files/smartgrid-$(1).init $$(1)/etc/init.d/smartgrid-$(1)
	if [ -f ./files/smartgrid-$(1).command ]; then $$(INSTALL_DIR) $$(1)/usr/bin && $$(INSTALL_BIN) ./files/smartgrid-$(1).command $$(1)/usr/bin/smartgrid-$(1); fi
endef

$$(eval $$(call BuildPackage,smartgrid-$(1)))
endef
