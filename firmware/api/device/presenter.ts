/** What a client sees of the device: health, status and device information, field by field. */
import type { DeviceInfo, DeviceStatus, Health } from '../../app/device-service.ts';
import { iso } from '../params.ts';
import { presentAlarm } from '../alarms/presenter.ts';

export function presentHealth(h: Health) {
  return {
    status: h.status,
    version: h.version,
    board: h.board,
    uptimeS: h.uptimeS,
    linecard: h.linecard.up ? { up: true, model: h.linecard.model ?? null, firmware: h.linecard.firmware ?? null } : { up: false },
  };
}

export function presentStatus(s: DeviceStatus) {
  const { stats } = s.linecard;
  return {
    board: s.board,
    leds: { ...s.leds },
    linecard: {
      up: s.linecard.up,
      card: s.linecard.card ? { model: s.linecard.card.model, firmwareVersion: s.linecard.card.firmwareVersion, channelCount: s.linecard.card.channelCount } : null,
      stats: { ...stats },
    },
    recorder: { ...s.recorder },
    alarms: s.alarms.map(presentAlarm),
  };
}

export function presentDevice(d: DeviceInfo) {
  return {
    model: d.model,
    name: d.name,
    version: d.version,
    builtAt: d.builtAt,
    commit: d.commit,
    serial: d.serial,
    capabilities: { ...d.capabilities },
    channels: { ...d.channels },
    startedAt: iso(d.startedAt),
    uptimeS: d.uptimeS,
    timeZone: d.timeZone,
    utcOffsetMinutes: d.utcOffsetMinutes,
    now: iso(d.now),
    cpuPercent: d.cpuPercent,
    loadAverage: d.loadAverage.map((x) => Math.round(x * 100) / 100),
    memory: { ...d.memory },
    temperatureC: d.temperatureC,
    disk: d.disk ? { ...d.disk } : null,
    linecard: { ...d.linecard },
    custody: d.custodyKey
      ? { keyFingerprint: d.custodyKey.fingerprintGrouped, publicKey: d.custodyKey.publicKey, publicKeyUrl: '/api/v1/device/public-key' }
      : null,
    license: d.license,
  };
}
