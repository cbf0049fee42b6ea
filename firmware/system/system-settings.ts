/**
 * System settings (系统设置, manual 3.13) the recorder keeps itself: web port,
 * watchdog and its time, SSH and FTP, and the CPU-use alarm threshold
 * (CPU使用率过高报警阈值, manual 3.5). Multi-user operation and the automatic
 * sign-out time are the web access settings (accounts).
 */
import { z } from 'zod';

export const systemSettingsSchema = z
  .object({
    /** WEB端口 (1 ~ 65535). */
    webPort: z.number().int().min(1).max(65535),
    /** 看门狗开关 (default on). */
    watchdog: z.boolean(),
    /** 看门狗时间: seconds the recording path may be unhealthy before the watchdog is no longer fed (20 ~ 255). */
    watchdogTimeoutS: z.number().int().min(20).max(255),
    /** SSH开关 (dropbear). */
    ssh: z.boolean(),
    /** FTP开关: read-only FTP access to the recordings. */
    ftp: z.boolean(),
    /** CPU使用率过高报警阈值, percent; 0 turns the check off. */
    cpuAlarmPercent: z.number().int().min(0).max(100),
  })
  .strict();
export type SystemSettings = z.infer<typeof systemSettingsSchema>;

export const FACTORY_SYSTEM: Readonly<SystemSettings> = Object.freeze({
  webPort: 80,
  watchdog: true,
  watchdogTimeoutS: 200,
  ssh: true,
  ftp: true,
  cpuAlarmPercent: 0,
});
