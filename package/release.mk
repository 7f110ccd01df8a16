# Where the recipes' source tarball (`make dist`: bundles prebuilt) is published, and its hash.
# For a release: upload build/dist/smartgrid-<version>.tar.gz to SMARTGRID_SOURCE_URL and replace
# SMARTGRID_SOURCE_HASH with the value `make dist` wrote to build/dist/release.mk.
SMARTGRID_SOURCE_URL:=https://downloads.example.invalid/smartgrid/$(PKG_VERSION)
SMARTGRID_SOURCE_HASH:=skip
