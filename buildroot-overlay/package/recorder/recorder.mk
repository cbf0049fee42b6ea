################################################################################
#
# recorder
#
################################################################################

# The source is this repository (the parent of the external tree).
RECORDER_VERSION = $(shell sed -n 's/^  "version": "\(.*\)",/\1/p' $(BR2_EXTERNAL_RECORDER_PATH)/../package.json)
RECORDER_SITE = $(BR2_EXTERNAL_RECORDER_PATH)/..
RECORDER_SITE_METHOD = local
RECORDER_LICENSE = Proprietary
# nodejs puts the target's node headers in staging; host-nodejs runs npm and esbuild.
RECORDER_DEPENDENCIES = host-nodejs nodejs

ifeq ($(BR2_aarch64),y)
RECORDER_NODE_ARCH = arm64
else ifeq ($(BR2_arm),y)
RECORDER_NODE_ARCH = arm
else ifeq ($(BR2_x86_64),y)
RECORDER_NODE_ARCH = x64
endif

RECORDER_BUNDLE = $(@D)/dist/recorder-linux-$(RECORDER_NODE_ARCH)

# npm installs the build tools and the packages' sources (no install scripts:
# nothing is compiled for the build machine); the bundler compiles the native
# packages without prebuilds with the target toolchain against the target's
# node headers, so their ABI is that of the image's node.
define RECORDER_BUILD_CMDS
	cd $(@D) && PATH=$(BR_PATH) npm_config_nodedir=$(STAGING_DIR)/usr \
		$(HOST_DIR)/bin/npm ci --ignore-scripts --no-audit --no-fund \
		--cache=$(BR2_DL_DIR)/recorder-npm-cache
	cd $(@D) && PATH=$(BR_PATH) $(HOST_DIR)/bin/node scripts/bundle.mjs \
		--arch $(RECORDER_NODE_ARCH) --out $(RECORDER_BUNDLE) \
		--cross $(TARGET_CROSS) --nodedir $(STAGING_DIR)/usr
endef

define RECORDER_INSTALL_TARGET_CMDS
	rm -rf $(TARGET_DIR)/usr/lib/recorder $(TARGET_DIR)/usr/share/recorder
	mkdir -p $(TARGET_DIR)/usr/lib/recorder $(TARGET_DIR)/usr/share/recorder
	cp -a $(RECORDER_BUNDLE)/. $(TARGET_DIR)/usr/lib/recorder/
	mv $(TARGET_DIR)/usr/lib/recorder/board $(TARGET_DIR)/usr/share/recorder/board
	mv $(TARGET_DIR)/usr/lib/recorder/web-static $(TARGET_DIR)/usr/share/recorder/web-static
endef

$(eval $(generic-package))
