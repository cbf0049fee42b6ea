/**
 * The host interface: every access the daemon makes to hardware or the OS goes
 * through one of these objects. Real Linux implementations live in
 * `firmware/host/linux/`; simulated ones in `firmware/sim/` and are never
 * imported by production code.
 */

/** A bidirectional byte stream to the line card (UART, SPI poller, socket). */
export interface ByteLink {
  write(data: Buffer): void;
  onData(listener: (chunk: Buffer) => void): void;
  /** Called once when the link closes or fails; `error` is set on failure. */
  onClose(listener: (error?: Error) => void): void;
  close(): Promise<void>;
}

/** Opens the line-card link; called again after the link is lost. */
export interface LineCardTransport {
  readonly description: string;
  open(): Promise<ByteLink>;
}

/** A serial line other than the line card's: the RS232 maintenance console (a pseudo-terminal off the box). */
export type SerialLine = LineCardTransport;

export type GpioLineName = 'pwr' | 'run' | 'link' | 'half' | 'full' | 'buzzer';

export interface GpioBank {
  set(line: GpioLineName, on: boolean): void;
  get(line: GpioLineName): boolean;
  close(): Promise<void>;
}

export type TimerHandle = { cancel(): void };

/** Wall clock and timers. A virtual clock replaces it in fast tests. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  setTimeout(fn: () => void, ms: number): TimerHandle;
  setInterval(fn: () => void, ms: number): TimerHandle;
}

export interface DiskUsage {
  totalBytes: number;
  freeBytes: number;
  usedBytes: number;
}

export interface Disk {
  /** Usage of the filesystem holding `path`; null when it is not mounted or unreadable. */
  usage(path: string): Promise<DiskUsage | null>;
  /** Erases the data disk mounted at `path` (a new filesystem, or everything under a plain folder). */
  format(path: string): Promise<void>;
}

export interface ShellResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** A program running with its output read line by line (stdout and stderr, in the order written). */
export interface ShellStream {
  /** The lines as the program writes them, without their line ends; ends when the program does. */
  lines: AsyncIterable<string>;
  /** The exit code once the program has ended (the codes of `Shell.run`). */
  done: Promise<number>;
  /** Stops the program (a reader that goes away). */
  kill(): void;
}

export interface Shell {
  run(command: string, args: readonly string[], options?: { timeoutMs?: number }): Promise<ShellResult>;
  /** Runs a program whose output is wanted as it comes (ping); absent where programs cannot be started. */
  stream?(command: string, args: readonly string[], options?: { timeoutMs?: number }): ShellStream;
}

/** Board sensors on I2C; each is null when the board has none. */
export interface Sensors {
  /** Serial number / board id from the ID EEPROM. */
  boardId(): Promise<string | null>;
  /** Board temperature in degrees Celsius. */
  temperatureC(): Promise<number | null>;
  /** Time held by the battery-backed RTC, ms since the epoch. */
  rtcTime(): Promise<number | null>;
  close(): Promise<void>;
}

/**
 * The box's network configuration (BusyBox ifupdown): `apply` takes the
 * interfaces down on the file in force, writes the new files under the system
 * root and brings them up; it rejects with the tool's message when a step
 * fails (the caller then applies the previous files the same way).
 */
export interface NetworkControl {
  /** The files in force (`etc/network/interfaces`, `etc/resolv.conf`); null when a file is missing. */
  read(): Promise<NetworkFiles>;
  apply(files: NetworkFiles): Promise<void>;
  /** The MAC address of the wired interface, null when unknown. */
  macAddress(): Promise<string | null>;
}

export interface NetworkFiles {
  interfaces: string | null;
  /** `null`: left as it is (a DHCP client writes it). */
  resolv: string | null;
}

/** What chrony reports about the clock's synchronisation. */
export interface NtpStatus {
  synchronised: boolean;
  /** The server the clock follows (name or address), null when none. */
  server: string | null;
  stratum: number | null;
  /** Offset of the system clock from NTP time, seconds (positive: fast). */
  offsetS: number | null;
  /** Seconds between chrony's last two clock updates, null when none yet. */
  updateIntervalS: number | null;
  /** The configured sources with their state (`*` in use, `+` combined, `?` unreachable, ...). */
  sources: Array<{ address: string; state: string; reachable: boolean }>;
}

/** NTP (chrony), the system clock, the RTC and the time zone. */
export interface TimeControl {
  /** Writes `etc/chrony.conf` under the system root and restarts chrony, or stops it when `config` is null. */
  applyNtp(config: string | null): Promise<void>;
  /** Null when chrony does not answer. */
  ntpStatus(): Promise<NtpStatus | null>;
  /** Steps the system clock to `ms` (epoch) and writes it to the RTC. */
  setClock(ms: number): Promise<void>;
  /** Sets the zone for the box's programs (`etc/TZ`, POSIX form) and this process (`processTz`, a form ICU reads too). */
  setZone(posixTz: string, processTz: string): Promise<void>;
}

/** The hardware watchdog (`/dev/watchdog` under the system root). */
export interface WatchdogDevice {
  /** Opens the device; every `feed` restarts its countdown. Rejects when there is none. */
  open(): Promise<WatchdogHandle>;
}

export interface WatchdogHandle {
  feed(): Promise<void>;
  /** Disarms it (magic close) and closes it. */
  close(): Promise<void>;
}

/** System daemons started and stopped by their init scripts under the system root. */
export type SystemDaemon = 'ssh' | 'ftp';
export interface SystemDaemons {
  set(daemon: SystemDaemon, on: boolean): Promise<void>;
}

/** Cumulative CPU time of the whole system, for a use percentage between two readings. */
export interface CpuMeter {
  times(): { busyMs: number; totalMs: number };
}

export interface HostPaths {
  /** Root of the recordings and index (the data disk's mount point). */
  data: string;
  /** Device configuration (JSON). */
  config: string;
  /** Log directory. */
  log: string;
  /**
   * Root of the system files the daemon manages (network, time, services,
   * upgrade slots): `/` on the box, a sandbox folder off it, so that nothing
   * outside the box's image is ever written.
   */
  root: string;
}

/**
 * Restarting the box or the recorder. On the box `reboot` runs the system's
 * reboot and a recorder restart ends the daemon for its supervisor to start
 * again (the new version after an upgrade); the simulator records requests.
 */
export interface Power {
  /** Reboots the whole box (软重启); resolves once the request is made. */
  reboot(reason: string): Promise<void>;
  /** Ends the recorder cleanly so that its supervisor starts it again. */
  restartRecorder(reason: string): Promise<void>;
}

export interface Host {
  linecard: LineCardTransport;
  gpio: GpioBank;
  clock: Clock;
  disk: Disk;
  shell: Shell;
  sensors: Sensors;
  paths: HostPaths;
  network: NetworkControl;
  time: TimeControl;
  watchdog: WatchdogDevice;
  daemons: SystemDaemons;
  cpu: CpuMeter;
  /** The maintenance console's line, when the board has one. */
  console?: SerialLine;
  /** Reboot and recorder restart; a host without it only logs the requests. */
  power?: Power;
}
