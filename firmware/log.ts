/** pino logging to the console and to `<log dir>/recorder.log`. */
import fs from 'node:fs';
import path from 'node:path';
import pino, { type Logger } from 'pino';

export function createLogger(logDir: string | null, level = process.env.LOG_LEVEL ?? 'info'): Logger {
  const streams: pino.StreamEntry[] = [{ stream: process.stdout }];
  if (logDir) {
    fs.mkdirSync(logDir, { recursive: true });
    streams.push({ stream: pino.destination({ dest: path.join(logDir, 'recorder.log'), append: true, sync: false }) });
  }
  return pino({ level, base: { app: 'recorder' } }, pino.multistream(streams));
}
