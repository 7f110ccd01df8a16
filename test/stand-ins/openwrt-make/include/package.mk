# Stand-in for OpenWrt's include/package.mk. BuildPackage does not build: it prints, expanded, what
# the real one would use, as blocks "@@ <package> <item>", the value's lines, "@@end"
# (read by test/unit/pkg/recipes.test.ts).
PKG_BUILD_DIR?=$(BUILD_DIR)/$(PKG_NAME)$(if $(PKG_VERSION),-$(PKG_VERSION))

# The defaults a recipe replaces by defining its own after including this file.
define Build/Prepare
	stand-in: package.mk default Build/Prepare
endef

define Build/Configure
	: stand-in: package.mk default Build/Configure
endef

define Build/Compile
	stand-in: package.mk default Build/Compile
endef

define Package/Default
  SECTION:=opt
  CATEGORY:=Extra packages
  SUBMENU:=
  TITLE:=
  DEPENDS:=
  PKGARCH:=stand-in-board
endef

define StandIn/newline


endef

StandIn/Print = $(info @@ $(1) $(2))$(info $(3))$(info @@end)

define BuildPackage
$(eval $(Package/Default))$(eval $(Package/$(1)))
$(call StandIn/Print,$(1),PKG_NAME,$(PKG_NAME))
$(call StandIn/Print,$(1),PKG_VERSION,$(PKG_VERSION))
$(call StandIn/Print,$(1),PKG_RELEASE,$(PKG_RELEASE))
$(call StandIn/Print,$(1),PKG_LICENSE,$(PKG_LICENSE))
$(call StandIn/Print,$(1),PKG_BUILD_DIR,$(PKG_BUILD_DIR))
$(call StandIn/Print,$(1),PKG_SOURCE,$(PKG_SOURCE))
$(call StandIn/Print,$(1),PKG_SOURCE_URL,$(PKG_SOURCE_URL))
$(call StandIn/Print,$(1),PKG_HASH,$(PKG_HASH))
$(call StandIn/Print,$(1),EXTRA_DEPENDS,$(EXTRA_DEPENDS))
$(call StandIn/Print,$(1),SECTION,$(SECTION))
$(call StandIn/Print,$(1),CATEGORY,$(CATEGORY))
$(call StandIn/Print,$(1),SUBMENU,$(SUBMENU))
$(call StandIn/Print,$(1),TITLE,$(TITLE))
$(call StandIn/Print,$(1),DEPENDS,$(DEPENDS))
$(call StandIn/Print,$(1),PKGARCH,$(PKGARCH))
$(call StandIn/Print,$(1),description,$(Package/$(1)/description))
$(call StandIn/Print,$(1),conffiles,$(Package/$(1)/conffiles))
$(call StandIn/Print,$(1),Build/Prepare,$(Build/Prepare))
$(call StandIn/Print,$(1),Build/Configure,$(Build/Configure))
$(call StandIn/Print,$(1),Build/Compile,$(Build/Compile)$(foreach hook,$(Hooks/Compile/Post),$(StandIn/newline)$(call $(hook))))
$(call StandIn/Print,$(1),install,$(call Package/$(1)/install,$(PKG_BUILD_DIR)/ipkg-$(PKGARCH)/$(1)))
endef
