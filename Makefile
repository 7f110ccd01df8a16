# smartgrid: OpenWrt feed of TypeScript services and a LuCI app.
# Targets: build test ipk apk feed dist bench demo clean (see README.md).

VERSION ?= $(shell node -p "require('./package.json').version")
NODE ?= node
VITEST = node_modules/.bin/vitest

.PHONY: all setup build typecheck test test-fresh test-unit ipk apk feed dist feed-key bench demo clean openwisp-templates

all: build

setup:
	@sh scripts/setup.sh

build: setup
	@$(NODE) scripts/build.mjs

typecheck: setup
	@node_modules/.bin/tsc -p tsconfig.json --noEmit

# The whole suite (setup, build, typecheck, tests); the last line is "N passed, N failed".
test:
	@SMARTGRID_MAKE_PID=$$PPID sh scripts/run-tests.sh

# The README's two commands in a fresh debootstrap'd Debian root (root only; slow).
test-fresh:
	@sh test/fresh/run.sh

ipk: build
	@$(NODE) scripts/make-ipk.mjs --version $(VERSION) --out build/feed/ipk

apk: build
	@$(NODE) scripts/make-ipk.mjs make-apk --version $(VERSION) --out build/feed/apk

# Both feeds, the public keys and build/feed/index.html.
feed: build
	@$(NODE) scripts/make-ipk.mjs feed --version $(VERSION) --out build/feed

# The source tarball of the OpenWrt recipes (bundles prebuilt): build/dist/smartgrid-$(VERSION).tar.gz.
dist: build
	@$(NODE) scripts/make-ipk.mjs dist --version $(VERSION) --out build/dist

# New key pairs for signing the feeds, outside git (default ~/.config/smartgrid/usign/ for opkg,
# ~/.config/smartgrid/apk/ for apk).
feed-key: setup
	@$(NODE) scripts/feed-keygen.mjs $(if $(KEY_DIR),--dir $(KEY_DIR)) $(if $(APK_KEY_DIR),--apk-dir $(APK_KEY_DIR))

# OpenWISP templates from the schemas, and the variables page (build/openwisp/).
openwisp-templates: setup
	@$(NODE) scripts/fleet.mjs templates build/openwisp

bench: build
	@$(NODE) bench/run.mjs

demo: build
	@$(NODE) scripts/demo.mjs

clean:
	rm -rf build $(filter-out %/page.js,$(wildcard htdocs/luci-static/resources/smartgrid/*.js))
