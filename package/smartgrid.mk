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
	cd $(SMARTGRID_ROOT) && { [ -d node_modules ] || npm ci --no-audit --no-fund; } && node scripts/build.mjs
endef

# Writes the files of package $(1) into $(PKG_BUILD_DIR)/root with their final modes, from the
# same package description that `make ipk` uses (src/pkg/catalog.ts).
define Smartgrid/Stage
	rm -rf $(PKG_BUILD_DIR)/root
	cd $(SMARTGRID_ROOT) && node scripts/make-ipk.mjs stage --package $(1) --dest $(PKG_BUILD_DIR)/root
endef
