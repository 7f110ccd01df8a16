# Stand-in for the luci feed's luci.mk: the package fields it derives from the LUCI_* variables.
LUCI_NAME?=$(notdir ${CURDIR})
PKG_NAME?=$(LUCI_NAME)

include $(INCLUDE_DIR)/package.mk

define Package/$(PKG_NAME)
  SECTION:=luci
  CATEGORY:=LuCI
  SUBMENU:=3. Applications
  TITLE:=$(LUCI_TITLE)
  DEPENDS:=$(LUCI_DEPENDS)
  $(if $(LUCI_PKGARCH),PKGARCH:=$(LUCI_PKGARCH))
endef

ifneq ($(LUCI_DESCRIPTION),)
define Package/$(PKG_NAME)/description
  $(strip $(LUCI_DESCRIPTION))
endef
endif

# luci.mk copies the app's own folders into the build dir.
define Build/Prepare
	for d in luasrc htdocs root src; do if [ -d ./$$d ]; then mkdir -p $(PKG_BUILD_DIR)/$$d; $(CP) ./$$d/* $(PKG_BUILD_DIR)/$$d/; fi; done
endef

define Build/Compile
endef

define Package/$(PKG_NAME)/install
	$(INSTALL_DIR) $(1)/www
	$(CP) $(PKG_BUILD_DIR)/htdocs/* $(1)/www/
	$(CP) $(CURDIR)/root/* $(1)/
endef

$(eval $(call BuildPackage,$(PKG_NAME)))
