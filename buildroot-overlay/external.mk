include $(sort $(wildcard $(BR2_EXTERNAL_RECORDER_PATH)/package/*/*.mk))
