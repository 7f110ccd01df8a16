# smartgrid: OpenWrt feed of TypeScript services and a LuCI app.
# Targets: build test ipk bench demo clean (see README.md).

VERSION ?= $(shell node -p "require('./package.json').version")
NODE ?= node
VITEST = node_modules/.bin/vitest

.PHONY: all setup build typecheck test test-fresh test-unit ipk feed-key bench demo clean openwisp-templates

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
	@$(NODE) scripts/make-ipk.mjs --version $(VERSION) --out build/feed

# A new usign key pair for signing the feed, outside git (default ~/.config/smartgrid/usign/).
feed-key: setup
	@$(NODE) scripts/feed-keygen.mjs $(if $(KEY_DIR),--dir $(KEY_DIR))

# OpenWISP templates from the schemas, and the variables page (build/openwisp/).
openwisp-templates: setup
	@$(NODE) scripts/fleet.mjs templates build/openwisp

bench: build
	@$(NODE) bench/run.mjs

demo: build
	@$(NODE) scripts/demo.mjs

clean:
	rm -rf build $(filter-out %/page.js,$(wildcard htdocs/luci-static/resources/smartgrid/*.js))
