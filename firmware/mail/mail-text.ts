/** The words of alarm and test mails: Chinese first (the manual's), English after; times in the box's zone. */
import type { Digest, DigestEntry } from './alarm-digest.ts';
import type { MailMessage } from './smtp-sender.ts';

export interface BoxIdentity {
  model: string;
  serial: string | null;
}

const SEVERITY: Record<string, string> = { critical: '紧急 critical', major: '重要 major', minor: '次要 minor' };
const AREA: Record<string, string> = { channel: '通道 channel', device: '设备 device', disk: '磁盘 disk' };

export function localTime(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

const boxName = (b: BoxIdentity) => `${b.model.toUpperCase()}${b.serial ? ` ${b.serial}` : ''}`;

function entryLines(e: DigestEntry): string[] {
  const state = e.active ? '仍在告警 still active' : '已清除 cleared';
  const times = e.raised + e.cleared > 1 ? `  产生 raised ${e.raised}×, 清除 cleared ${e.cleared}×, ${localTime(e.firstAt)} – ${localTime(e.lastAt)}` : `  ${localTime(e.lastAt)}`;
  return [`* [${SEVERITY[e.severity] ?? e.severity}] [${AREA[e.area] ?? e.area}] ${e.message} (${e.id})`, times, `  ${state}`];
}

export function alarmMail(box: BoxIdentity, d: Digest): MailMessage {
  const first = d.entries[0];
  const others = d.entries.length - 1 + d.more;
  const lead = first ? `${first.active ? '告警' : '告警清除'}: ${first.message}` : '告警';
  const subject = `[${boxName(box)}] ${lead}${others > 0 ? ` (+${others})` : ''}`;
  const lines = [`录音设备 ${boxName(box)} 的告警 / alarms of the recorder ${boxName(box)}:`, ''];
  for (const e of d.entries) lines.push(...entryLines(e), '');
  if (d.more) lines.push(`另有 ${d.more} 个告警未列出 / ${d.more} more alarms not listed`, '');
  lines.push('详情见设备的 实时告警 / 历史告警 页面. See the box\'s alarm pages for details.');
  return { subject, text: lines.join('\n') };
}

export function testMail(box: BoxIdentity, text: string, at: number): MailMessage {
  return {
    subject: `[${boxName(box)}] 邮件测试 / test mail`,
    text: `${text}\n\n-- \n${boxName(box)}, ${localTime(at)}`,
  };
}
