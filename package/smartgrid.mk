# Shared by the smartgrid recipes (package/*/Makefile and luci-app-smartgrid/Makefile).
# The including Makefile sets SMARTGRID_ROOT to the repository root first.
#
# The services and the LuCI pages are TypeScript bundled by esbuild (`make build` in the
# repository), so the BUILD HOST needs node >= 18 and npm. The packages themselves are
# architecture independent (PKGARCH:=all) and need only `node` on the device.

SMARTGRID_VERSION:=$(shell sed -n 's/^[[:space:]]*"version":[[:space:]]*"\([^"]*\)".*/\1/p' $(SMARTGRID_ROOT)/package.json | head -n 1)

PKG_VERSION:=$(SMARTGRID_VERSION)
PKG_RELEASE:=1
PKG_LICENSE:=Apache-2.0
PKG_MAINTAINER:=smartgrid maintainers <smartgrid@example.invalid>

# Bundles the services and pages on the build host (npm ci only when node_modules is missing).
define Smartgrid/Bundle
	@node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 18 ? 0 : 1)' 2>/dev/null || { \
		echo "smartgrid: the build host needs node >= 18 and npm (https://nodejs.org or your distribution)" >&2; false; }
	$(call Smartgrid/NodeModules) && node scripts/build.mjs
endef

# Installs the build tooling's node_modules on the build host when they are missing.
define Smartgrid/NodeModules
cd $(SMARTGRID_ROOT) && { [ -d node_modules ] || npm ci --no-audit --no-fund; }
endef

# Writes the files of package $(1) into $(PKG_BUILD_DIR)/root with their final modes, from the
# same package description that `make ipk` uses (src/pkg/catalog.ts).
define Smartgrid/Stage
	rm -rf $(PKG_BUILD_DIR)/root
	cd $(SMARTGRID_ROOT) && node scripts/make-ipk.mjs stage --package $(1) --dest $(PKG_BUILD_DIR)/root
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

# Build steps of package $(1): Build/Compile runs macro $(2) on the build host, then stages the files.
# $(eval) this AFTER `include $(INCLUDE_DIR)/package.mk`, which defines its own Build/Prepare,
# Build/Configure and Build/Compile (the last definition wins).
define Smartgrid/BuildSteps
define Build/Prepare
	mkdir -p $$(PKG_BUILD_DIR)
endef

define Build/Configure
endef

define Build/Compile
	$$(call $(2))
	$$(call Smartgrid/Stage,$(1))
endef
endef

# The whole recipe of service package smartgrid-$(1) (thread, halow, lte, telemetry): its one bundle
# and init script, depending on node and smartgrid-base (plus SMARTGRID_EXTRA_DEPENDS). The recipe
# sets SMARTGRID_TITLE and SMARTGRID_DESCRIPTION first and, like Smartgrid/BuildSteps, $(eval)s this after package.mk.
define Smartgrid/ServicePackage
$(call Smartgrid/BuildSteps,smartgrid-$(1),Smartgrid/Bundle)

define Package/smartgrid-$(1)
$$(call Package/smartgrid/Default)
  TITLE:=$(SMARTGRID_TITLE)
  DEPENDS:=+node +smartgrid-base $(SMARTGRID_EXTRA_DEPENDS)
endef

define Package/smartgrid-$(1)/description
$(SMARTGRID_DESCRIPTION)
endef

define Package/smartgrid-$(1)/install
	$$(INSTALL_DIR) $$(1)/usr/lib/smartgrid $$(1)/etc/init.d
	$$(INSTALL_BIN) $$(PKG_BUILD_DIR)/root/usr/lib/smartgrid/smartgrid-$(1).js $$(1)/usr/lib/smartgrid/
	$$(INSTALL_BIN) $$(PKG_BUILD_DIR)/root/etc/init.d/smartgrid-$(1) $$(1)/etc/init.d/
endef

$$(eval $$(call BuildPackage,smartgrid-$(1)))
endef
