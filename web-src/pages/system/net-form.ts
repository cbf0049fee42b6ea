/** The IP settings form: fields as text, checked in the page before the box checks them again. */
import { t } from '../../i18n.ts';

export const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const MASK_BITS = /^1*0*$/;

export interface Extra {
  enabled: boolean;
  address: string;
  netmask: string;
}

export interface NetForm {
  mode: 'static' | 'dhcp';
  address: string;
  netmask: string;
  gateway: string;
  dns1: string;
  dns2: string;
  extra: Extra[];
}

export function toForm(s: any): NetForm {
  return {
    mode: s.mode,
    address: s.address,
    netmask: s.netmask,
    gateway: s.gateway,
    dns1: s.dns[0] ?? '',
    dns2: s.dns[1] ?? '',
    extra: s.extra.map((e: Extra) => ({ ...e })),
  };
}

export function toSettings(f: NetForm) {
  return {
    mode: f.mode,
    address: f.address.trim(),
    netmask: f.netmask.trim(),
    gateway: f.gateway.trim(),
    dns: [f.dns1.trim(), f.dns2.trim()].filter(Boolean),
    extra: f.extra.map((e, i) => ({ enabled: i === 0 || e.enabled, address: e.address.trim(), netmask: e.netmask.trim() })),
  };
}

export function maskValid(m: string): boolean {
  if (!IPV4.test(m)) return false;
  const bits = m.split('.').map((p) => Number(p).toString(2).padStart(8, '0')).join('');
  return MASK_BITS.test(bits) && bits.includes('0') && bits.startsWith('1');
}

/** The page's own checks (the box names any further problem). */
export function formErrors(f: NetForm): string[] {
  const errs: string[] = [];
  const ip = (label: string, v: string, optional = false) => {
    if (optional && v.trim() === '') return;
    if (!IPV4.test(v.trim())) errs.push(t('nsBadIp', { f: label }));
  };
  const mask = (label: string, v: string) => {
    if (!maskValid(v.trim())) errs.push(t('nsBadMask', { f: label }));
  };
  if (f.mode === 'static') {
    ip(t('nsAddress'), f.address);
    mask(t('nsNetmask'), f.netmask);
    ip(t('nsGateway'), f.gateway, true);
    ip(t('nsDns'), f.dns1, true);
    ip(t('nsDns2'), f.dns2, true);
  }
  f.extra.forEach((e, i) => {
    if (i !== 0 && !e.enabled) return;
    ip(`${t('nsOtherSubnets')} ${i} ${t('nsAddress')}`, e.address);
    mask(`${t('nsOtherSubnets')} ${i} ${t('nsNetmask')}`, e.netmask);
  });
  return errs;
}
