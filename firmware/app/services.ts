/**
 * The application services: one place that performs each operation of the
 * box, with typed inputs and results. HTTP, the RS232 console, cloud seats
 * and tests are thin adapters over these; none keeps its own copy of an
 * operation or reaches past them.
 */
import type { EventBus } from '../events/event-bus.ts';
import type { AudioTap } from '../events/audio-tap.ts';
import type { ChannelService } from './channel-service.ts';
import type { RecordService } from './record-service.ts';
import type { StorageService } from './storage-service.ts';
import type { AlarmService } from './alarm-service.ts';
import type { DeviceService } from './device-service.ts';
import type { SettingsService } from './settings-service.ts';
import type { JournalService } from './journal-service.ts';
import type { CustodyService } from './custody-service.ts';
import type { VoipService } from './voip-service.ts';
import type { AuthService } from './auth-service.ts';
import type { AccountService } from './account-service.ts';
import type { PlaybackService } from './playback-service.ts';
import type { DownloadService } from './download-service.ts';
import type { ExportService } from './export-service.ts';
import type { StatisticsService } from './statistics-service.ts';
import type { TrunkService } from './trunk-service.ts';
import type { ObjectStoreService } from './object-store-service.ts';

export interface Services {
  /** Live events: channel state and level, recordings, alarms, link, disk. */
  readonly events: EventBus;
  /** Live audio of any channel. */
  readonly audio: AudioTap;
  readonly channels: ChannelService;
  readonly records: RecordService;
  readonly storage: StorageService;
  /** Recordings as a browser plays them, and their waveform. */
  readonly playback: PlaybackService;
  /** A recording's file, or many in one zip. */
  readonly downloads: DownloadService;
  /** Searches and statistics as CSV or XLSX tables. */
  readonly exports: ExportService;
  /** Statistics per day or month, for charts. */
  readonly statistics: StatisticsService;
  readonly alarms: AlarmService;
  readonly device: DeviceService;
  /** Recording parameters, channel parameters, the do-not-record list; applied at once. */
  readonly settings: SettingsService;
  /** The operation log. */
  readonly journal: JournalService;
  /** Chain of custody: device key, signed statements, checks; null when the device key could not be opened. */
  readonly custody: CustodyService | null;
  /** VoIP recording: settings, calls being recorded, phone recording import. */
  readonly voip: VoipService;
  /** Signing in and out, sessions, the web access settings. */
  readonly auth: AuthService;
  /** Accounts (administrators only). */
  readonly accounts: AccountService;
  /** E1 trunk ports: status, timeslots, settings. */
  readonly trunks: TrunkService;
  /** The object-store archive: settings, status, copies of a recording. */
  readonly objectStore: ObjectStoreService;
  /** The box's clock (virtual in tests). */
  now(): number;
}
