/**
 * The domain vocabulary the interfaces (HTTP, console) speak: the types the
 * services take and return, the manual's labels and enumerations, channel
 * references and local days. Interfaces import these from here, never from
 * the domain folders, so the services stay their only way in.
 */
export {
  CALL_TYPES, CALL_TYPE_LABEL, CHANNEL_STATES, CHANNEL_STATE_LABEL, RECORD_LEVELS, START_MODE_LABEL, STOP_MODE_LABEL,
  type CallType, type ChannelState, type RecordLevel, type StartMode, type StopMode, type CallDirection,
} from '../calls/call-types.ts';
export {
  MAX_CHANNEL, MAX_PORT, PORT_TYPES, analogRef, parseRefKey, refKey, sameRef, type ChannelRef, type PortType,
} from '../ports/channel-ref.ts';
export type { RecordEntry, RecordFormat } from '../recording/record-entry.ts';
export type { ChannelView } from '../channels/channel-pipeline.ts';
export type { Alarm, AlarmSeverity } from '../alarms/alarm-list.ts';
export type { BoxEvent, BoxEventType } from '../events/box-events.ts';
export { BOX_EVENT_TYPES } from '../events/box-events.ts';
export { dayLabel, dayStart, localDay, parseDayLabel } from '../recording/local-day.ts';
export { ALARM_AREAS, ALARM_SEVERITIES } from '../alarms/alarm-list.ts';
export { OPERATION_ITEMS, OPERATIONS, OPERATION_RESULTS, type OperationRecord } from '../journal/operation-entry.ts';
export type { AlarmRecord } from '../journal/alarm-history.ts';
export { principalText } from '../journal/principal.ts';
/** Settings schemas, shared by the API's validation and the client. */
export { recordingPatchSchema, channelPatchSchema, type RecordingSettings } from '../settings/settings-schema.ts';
export { doNotRecordEntrySchema, MAX_DO_NOT_RECORD, type DoNotRecordEntry } from '../settings/do-not-record.ts';
export type { ChannelConfig } from '../calls/channel-config.ts';
export { voipPatchSchema, type VoipSettings } from '../settings/voip-settings.ts';
export type { VoipStatus } from './voip-service.ts';
export type { CallStats as VoipCallStats } from '../voip/media/voip-call.ts';
/** Accounts and web access: levels and the schemas the API validates with. */
export { ROLES, ROLE_LABEL, type Role } from '../accounts/roles.ts';
export { accessSettingsSchema, cidrSchema, usernameSchema, MAX_VALID_HOURS, type AccessSettings } from '../accounts/account-schema.ts';
export { e1PortPatchSchema, type E1PortConfig, type E1PortPatch } from '../settings/e1-port-settings.ts';
export type { TrunkPortStatus } from '../trunks/trunk-port.ts';
export type { TimeslotStatus } from '../trunks/trunk-timeslot.ts';
/** System management: IP, time and system settings (the API validates with these schemas). */
export { networkSettingsSchema, EXTRA_ADDRESSES, FACTORY_NETWORK, type NetworkSettings } from '../system/network-settings.ts';
export { timeSettingsSchema, type TimeSettings } from '../system/time-settings.ts';
export { systemSettingsSchema, type SystemSettings } from '../system/system-settings.ts';
export type { NetworkView, NetworkChange } from './network-service.ts';
export type { TimeView } from './time-service.ts';
export type { SystemView } from './system-service.ts';
/** Cloud seats (云座席): the seat settings' schema, levels and rights. */
export { seatPatchSchema, SEAT_LEVELS, SEAT_REACH, SEAT_RIGHTS, POP_TRIGGERS, MAX_GROUP, MAX_LISTENERS_PER_CHANNEL, type SeatConfig } from '../settings/seat-settings.ts';
