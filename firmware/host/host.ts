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

export interface Shell {
  run(command: string, args: readonly string[], options?: { timeoutMs?: number }): Promise<ShellResult>;
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
  /** Reboot and recorder restart; a host without it only logs the requests. */
  power?: Power;
}
