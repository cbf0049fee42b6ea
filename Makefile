# RDS/RDT recorder userland. `make run` and `make test` set up what they need.
SHELL := /bin/bash
BOARD ?= sim
PORT ?= 8080
SCENARIO ?=
NPM := npm --no-fund --no-audit --loglevel=error

.PHONY: setup deps test-deps web run test typecheck arch unit bench bundle package arm-check image clean

# Debian packages, installed only when missing: a command, or command:package
# when the package is named otherwise. RUN_TOOLS are what the daemon and the
# simulator use (pseudo-terminals, MP3, ifupdown, chrony, ping, SMB client);
# TEST_TOOLS the peers and servers the tests run against (a browser with a CJK
# font for the Chinese pages' screenshots, sipp, Samba, vsftpd, a Ceph gateway).
RUN_TOOLS := socat lame busybox chronyd:chrony ping:iputils-ping openssl unzip smbclient:smbclient
TEST_TOOLS := shellcheck chromium sipp:sip-tester smbd:samba vsftpd:vsftpd \
  ceph-mon ceph-osd radosgw radosgw-admin:radosgw ceph:ceph-common
define install_missing
	@missing=""; for t in $(1); do command -v $${t%%:*} >/dev/null || missing="$$missing $${t#*:}"; done; \
	$(if $(2),[ -e /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ] || missing="$$missing fonts-wqy-microhei";) \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get install -y -q $$missing >/dev/null 2>&1 || { $$SUDO apt-get update -q >/dev/null && $$SUDO apt-get install -y -q $$missing >/dev/null; }; \
	fi
endef
deps:
	$(call install_missing,$(RUN_TOOLS))
test-deps: deps
	$(call install_missing,$(TEST_TOOLS),font)

# A linked node_modules (a second work tree sharing one install) is never reinstalled through the link.
node_modules/.installed: package.json package-lock.json
	@if [ -L node_modules ]; then echo "node_modules is a link: left as it is"; else $(NPM) ci; fi
	@touch $@

setup: deps node_modules/.installed

# The browser UI: web-src/ built into web-static/ (hashed, precompressed); see docs/web-ui.md.
web: setup
	@./scripts/build-web >/dev/null

run: setup web
	@./scripts/run-sim --board $(BOARD) $(if $(SCENARIO),--scenario $(SCENARIO)) --port $(PORT)

typecheck: setup
	npx tsc --noEmit -p tsconfig.json
	npx tsc --noEmit -p web-src/tsconfig.json

# Architecture rules (.dependency-cruiser.cjs): pure layers, API over the services only, no sim/ in production, no cycles.
arch: setup
	npx depcruise firmware --config .dependency-cruiser.cjs

unit: setup test-deps
	./scripts/run-tests

test: typecheck arch web unit

bench: setup test-deps
	./scripts/bench

# The production bundle for ARCH (default: this machine's); see docs/image.md.
ARCH ?=
bundle: setup web
	./scripts/bundle.mjs $(if $(ARCH),--arch $(ARCH))

# A signed field upgrade package of the bundle for BOARD in dist/ (docs/upgrade.md);
# PACKAGE_SIGNING_KEY (PEM) signs a release, else the development key in keys/dev/.
package: setup web
	./scripts/make-package --board $(BOARD) $(if $(ARCH),--arch $(ARCH))

# Runs the daemon under qemu on arm64 and 32-bit ARM root filesystems; see docs/image.md.
ARM_CHECK_ARCHES ?= arm64 arm
arm-check: setup web
	ARM_CHECK_ARCHES="$(ARM_CHECK_ARCHES)" ./scripts/arm-check

# The box image: make image BOARD=rds|rdt BUILDROOT_DIR=... [SOC=qemu-aarch64-virt|file] [IMAGE_DIR=...]
BUILDROOT_DIR ?=
SOC ?= qemu-aarch64-virt
IMAGE_DIR ?=
image:
	./scripts/image --board $(BOARD) --buildroot "$(BUILDROOT_DIR)" --soc $(SOC) $(if $(IMAGE_DIR),--output $(IMAGE_DIR))

clean:
	rm -rf var dist .bench
