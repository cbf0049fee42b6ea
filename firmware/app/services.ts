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
import type { NetworkService } from './network-service.ts';
import type { TimeService } from './time-service.ts';
import type { SystemService } from './system-service.ts';
import type { MailService } from './mail-service.ts';
import type { SystemLogService } from './system-log-service.ts';
import type { DiagnosticsService } from './diagnostics-service.ts';
import type { MaintenanceService } from './maintenance-service.ts';
import type { UpgradeService } from './upgrade-service.ts';
import type { LicenseService } from './license-service.ts';
import type { ListenService } from './listen-service.ts';
import type { SeatService } from './seat-service.ts';
import type { NasService } from './nas-service.ts';
import type { CascadeService } from './cascade-service.ts';
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
  /** IP settings (IP设置): applied, then confirmed or returned to the previous configuration. */
  readonly network: NetworkService;
  /** Time settings (时间设置): NTP, time zone, the date and time by hand. */
  readonly time: TimeService;
  /** System settings (系统设置): web port, watchdog, SSH, FTP, CPU-use alarm. */
  readonly system: SystemService;
  /** Email push (邮件推送): SMTP settings, recipients' last sends, the test mail; alarms are mailed by themselves. */
  readonly mail: MailService;
  /** Saved system logs (系统日志): on demand and on a fault; the running log's tail. */
  readonly systemLog: SystemLogService;
  /** Processing info (处理信息) and ping (系统调试). */
  readonly diagnostics: DiagnosticsService;
  /** Device operations: reboot, factory reset, format, purge, archive now (设备管理). */
  readonly maintenance: MaintenanceService;
  /** Field upgrades: stored versions, upload, activate, roll back (系统升级). */
  readonly upgrades: UpgradeService;
  /** License and trial: state, license file, feature checks (License升级, 设备激活). */
  readonly license: LicenseService;
  /** Cloud seats (云座席): seat settings, seat sign-in, online state, screen pops. */
  readonly seats: SeatService;
  /** Live listening (实时监听) for seats and administrators. */
  readonly listen: ListenService;
  /** NAS backup (私人网盘): targets, status, manual backup. */
  readonly nas: NasService;
  /** Work mode (工作模式): a cascade's registration, merged search, statistics and playback. */
  readonly cascade: CascadeService;
  /** The object-store archive: settings, status, copies of a recording. */
  readonly objectStore: ObjectStoreService;
  /** The box's clock (virtual in tests). */
  now(): number;
}
