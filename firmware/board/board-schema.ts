import { z } from 'zod';

const gpioLine = z.number().int().min(0).max(1023);

export const linecardLinkSchema = z.discriminatedUnion('transport', [
  z.object({
    transport: z.literal('uart'),
    device: z.string().min(1),
    baudRate: z.number().int().positive(),
  }),
  z.object({
    transport: z.literal('spi'),
    device: z.string().min(1),
    speedHz: z.number().int().positive(),
    /** How often the host clocks a transfer to collect the card's bytes. */
    pollMs: z.number().int().min(1).max(100),
    /** Bytes clocked per transfer. */
    transferBytes: z.number().int().min(16).max(65536),
  }),
  z.object({
    transport: z.literal('tcp'),
    host: z.string().min(1),
    port: z.number().int().min(1).max(65535),
  }),
]);

export const boardSchema = z.object({
  model: z.string().regex(/^[a-z0-9-]+$/),
  name: z.string().min(1),
  linecard: linecardLinkSchema,
  channels: z.object({
    analog: z.number().int().min(0).max(256),
    e1: z.number().int().min(0).max(16),
    voip: z.number().int().min(0).max(16),
  }),
  gpio: z.object({
    /** `sysfs` drives real lines through onoff; `sim` keeps state in memory. */
    driver: z.enum(['sysfs', 'sim']),
    activeLow: z.boolean().default(false),
    lines: z.object({
      pwr: gpioLine,
      run: gpioLine,
      link: gpioLine,
      half: gpioLine,
      full: gpioLine,
      buzzer: gpioLine,
    }),
  }),
  i2c: z
    .object({
      bus: z.number().int().min(0),
      idEeprom: z.number().int().min(0x03).max(0x77).optional(),
      temperatureSensor: z.number().int().min(0x03).max(0x77).optional(),
      rtc: z.number().int().min(0x03).max(0x77).optional(),
    })
    .optional(),
  storage: z.object({
    kind: z.enum(['tf', 'hdd', 'dir']),
    /** Mount point of the data disk; relative paths are relative to the working directory. */
    mount: z.string().min(1),
    device: z.string().optional(),
    /**
     * Read-ahead of the data disk, KiB (set by the image's S20datadisk when it
     * mounts the disk). LevelDB maps the index's table files: a search that
     * touches a table not in memory faults in the read-ahead window around each
     * block it reads, so a window of megabytes reads whole tables for a few
     * blocks. Recordings are read in small sequential steps that 128 KiB serves.
     */
    readAheadKiB: z.number().int().min(0).max(16_384).optional(),
  }),
  /**
   * The RS232 maintenance console (docs/console.md): the UART wired to the
   * rear RS232 port (115200 8N1), or a pseudo-terminal on the simulated board.
   * A board without one has no console.
   */
  console: z.object({ device: z.string().min(1), baudRate: z.number().int().positive().default(115200) }).optional(),
  /** LevelDB resources of the recording index, sized for the board's memory (record-index.ts defaults when left out). */
  index: z
    .object({
      /** Block cache, MiB. */
      cacheMiB: z.number().int().min(1).max(256).optional(),
      /** Table files kept open (each costs a file descriptor and its index block in memory). */
      maxOpenFiles: z.number().int().min(20).max(5000).optional(),
      /** Write buffer (memtable), MiB. */
      writeBufferMiB: z.number().int().min(1).max(64).optional(),
    })
    .optional(),
  /**
   * The daemon's JavaScript heap, sized for the board's memory: node is
   * started with --max-old-space-size and --max-semi-space-size
   * (/etc/default/recorder, set from here when the image is built). A small
   * young generation and a bounded old one keep the short-lived buffers of
   * searches and audio from growing the heap far beyond what it holds.
   * Left out: node's defaults.
   */
  heap: z
    .object({
      /** Old generation, MiB. */
      oldSpaceMiB: z.number().int().min(32).max(4096),
      /** Each of the young generation's two semi-spaces, MiB. */
      semiSpaceMiB: z.number().int().min(1).max(64),
      /**
       * glibc's malloc gives allocations this large or larger their own
       * mapping, returned when freed (MALLOC_MMAP_THRESHOLD_), KiB. Left
       * out, glibc raises its threshold after each large block freed and
       * keeps LevelDB's transient read buffers in its heaps for good.
       */
      mallocMmapThresholdKiB: z.number().int().min(16).max(32768).optional(),
    })
    .optional(),
  capabilities: z.object({
    analogRecording: z.number().int().min(0),
    e1Recording: z.boolean(),
    voipRecording: z.boolean(),
    /** Licensed concurrent VoIP calls (RDS 64, RDT 256); 0 without VoIP recording. */
    voipCalls: z.number().int().min(0).max(4096).default(0),
    cloud: z.boolean(),
  }),
});

export type Board = z.infer<typeof boardSchema>;

/** The index options of a board (bytes), for RecordIndex. */
export function indexOptionsOf(board: Pick<Board, 'index'>): { cacheSize?: number; maxOpenFiles?: number; writeBufferSize?: number } {
  const i = board.index ?? {};
  return {
    ...(i.cacheMiB !== undefined ? { cacheSize: i.cacheMiB << 20 } : {}),
    ...(i.maxOpenFiles !== undefined ? { maxOpenFiles: i.maxOpenFiles } : {}),
    ...(i.writeBufferMiB !== undefined ? { writeBufferSize: i.writeBufferMiB << 20 } : {}),
  };
}
/** The environment that gives the daemon's malloc a board's mapping threshold (empty: glibc's defaults). */
export function nodeEnvOf(board: Pick<Board, 'heap'>): Record<string, string> {
  const kib = board.heap?.mallocMmapThresholdKiB;
  return kib ? { MALLOC_MMAP_THRESHOLD_: String(kib * 1024) } : {};
}

/** The node options that give the daemon a board's heap (empty: node's defaults). */
export function nodeFlagsOf(board: Pick<Board, 'heap'>): string[] {
  const h = board.heap;
  return h ? [`--max-old-space-size=${h.oldSpaceMiB}`, `--max-semi-space-size=${h.semiSpaceMiB}`] : [];
}

export type LinecardLink = z.infer<typeof linecardLinkSchema>;
