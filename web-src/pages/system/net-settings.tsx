/**
 * IP设置 (manual 2.5, 3.14): static or DHCP, address, mask, gateway, DNS, MAC,
 * and the further addresses (其他网段设置, entry 0 always on). A change is in
 * force at once; the page then reaches the box at its new address and
 * confirms there (net-confirm.tsx), or confirms here when this address still
 * reaches it; without a confirmation the box returns to the previous settings.
 */
import { useEffect, useState } from 'preact/hooks';
import { api, get, notify, showError } from '../../api.ts';
import { t } from '../../i18n.ts';
import { PresenceWarning, ReadOnlyNote, Row, Section, canEdit, usePresence } from '../../ui.tsx';
import { FormFoot, OnOff } from '../trunk/common.tsx';
import { formErrors, toForm, toSettings, type NetForm } from './net-form.ts';
import './netsys-labels.ts';

interface Pending {
  deadline: number;
  token: string;
  url: string | null;
}

/** Tries the new address until it answers (an opaque answer is enough), then opens its confirmation page. */
function useReconnect(p: Pending | null): void {
  useEffect(() => {
    if (!p?.url || p.url === location.origin) return;
    let stop = false;
    const probe = async () => {
      while (!stop && Date.now() < p.deadline) {
        try {
          await fetch(`${p.url}/api/v1/health`, { mode: 'no-cors', cache: 'no-store', signal: AbortSignal.timeout(2500) });
          if (!stop) location.href = `${p.url}/network-confirm#token=${encodeURIComponent(p.token)}`;
          return;
        } catch {
          await new Promise((r) => setTimeout(r, 2000));
        }
      }
    };
    void probe();
    return () => {
      stop = true;
    };
  }, [p]);
}

export function NetSettings() {
  usePresence('system/network');
  const [loaded, setLoaded] = useState<any>(null);
  const [form, setForm] = useState<NetForm | null>(null);
  const [errors, setErrors] = useState<string[]>([]);
  const [pending, setPending] = useState<Pending | null>(null);
  const [left, setLeft] = useState(0);
  const load = async () => {
    try {
      const s = await get('/system/network');
      setLoaded(s);
      setForm(toForm(s));
      setErrors([]);
      return s;
    } catch (e) {
      showError(e);
      return null;
    }
  };
  useEffect(() => void load(), []);
  useReconnect(pending);
  useEffect(() => {
    if (!pending) return;
    const id = setInterval(async () => {
      const s = Math.max(0, Math.round((pending.deadline - Date.now()) / 1000));
      setLeft(s);
      // While this address still reaches the box, follow what it says.
      const now = await get('/system/network').catch(() => null);
      if (now && !now.pending) {
        setPending(null);
        setLoaded(now);
        setForm(toForm(now));
        notify('error', t('nsReverted'));
      }
    }, 1000);
    return () => clearInterval(id);
  }, [pending]);
  if (!form || !loaded) return <p>{t('loading')}</p>;
  const set = (patch: Partial<NetForm>) => setForm({ ...form, ...patch });
  const setExtra = (i: number, patch: Partial<NetForm['extra'][number]>) => set({ extra: form.extra.map((e, j) => (j === i ? { ...e, ...patch } : e)) });
  const field = (k: 'address' | 'netmask' | 'gateway' | 'dns1' | 'dns2') => (
    <input name={k} value={form[k]} disabled={!canEdit.value || form.mode === 'dhcp' || !!pending} onInput={(e) => set({ [k]: e.currentTarget.value })} />
  );
  const submit = async (e: Event) => {
    e.preventDefault();
    const errs = formErrors(form);
    setErrors(errs);
    if (errs.length) return;
    try {
      const r = await api('PUT', '/system/network', { body: toSettings(form), ifMatch: loaded.revision });
      const url = r.mode === 'static' ? `${location.protocol}//${r.address}${location.port ? `:${location.port}` : ''}` : null;
      setLoaded(r);
      setLeft(r.confirmWindowS);
      setPending({ deadline: Date.now() + r.confirmWindowS * 1000, token: r.confirmToken, url });
    } catch (x) {
      showError(x);
      const m = (x as { message?: string }).message;
      if (m) setErrors([m]);
    }
  };
  const confirmHere = async () => {
    try {
      const s = await api('POST', '/system/network/confirm');
      setPending(null);
      setLoaded(s);
      setForm(toForm(s));
      notify('ok', t('nsConfirmed'));
    } catch (x) {
      showError(x);
    }
  };
  return (
    <Section title={t('nsIpSettings')}>
      <PresenceWarning />
      <ReadOnlyNote />
      {pending ? (
        <div class="warn" role="status" data-testid="net-pending">
          <p>{t('nsPending', { s: left })}</p>
          <p>{pending.url ? t('nsConnecting', { url: pending.url }) : t('nsDhcpFind')}</p>
          <div class="buttons">
            <button type="button" data-testid="confirm-here" onClick={confirmHere}>{t('nsConfirmHere')}</button>
          </div>
        </div>
      ) : null}
      <form id="net-settings" onSubmit={submit} onReset={(e) => (e.preventDefault(), setForm(toForm(loaded)), setErrors([]))}>
        <table class="form">
          <tbody>
            <Row label={t('nsMode')}>
              <select name="mode" value={form.mode} disabled={!canEdit.value || !!pending} onChange={(e) => set({ mode: e.currentTarget.value as NetForm['mode'] })}>
                <option value="static">{t('nsMode_static')}</option>
                <option value="dhcp">{t('nsMode_dhcp')}</option>
              </select>
            </Row>
            <Row label={t('nsAddress')}>{field('address')}</Row>
            <Row label={t('nsNetmask')}>{field('netmask')}</Row>
            <Row label={t('nsGateway')}>{field('gateway')}</Row>
            <Row label={t('nsDns')}>{field('dns1')}</Row>
            <Row label={t('nsDns2')}>{field('dns2')}</Row>
            <Row label={t('nsMac')}>
              <span data-testid="mac">{loaded.mac ?? '-'}</span>
            </Row>
          </tbody>
        </table>
        <h3>{t('nsOtherSubnets')}</h3>
        <table class="list" id="net-extra">
          <thead>
            <tr>
              <th>{t('nsIndex')}</th>
              <th>{t('nsIpEnabled')}</th>
              <th>{t('nsAddress')}</th>
              <th>{t('nsNetmask')}</th>
            </tr>
          </thead>
          <tbody>
            {form.extra.map((x, i) => (
              <tr key={i} data-index={i}>
                <td>{i}</td>
                <td>
                  {i === 0 ? (
                    <span title={t('nsEntry0Hint')}>{t('on')}</span>
                  ) : (
                    <OnOff name={`extra${i}.enabled`} value={x.enabled} onChange={(v) => setExtra(i, { enabled: v })} />
                  )}
                </td>
                <td>
                  <input name={`extra${i}.address`} value={x.address} disabled={!canEdit.value || !!pending || (i > 0 && !x.enabled)} onInput={(e) => setExtra(i, { address: e.currentTarget.value })} />
                </td>
                <td>
                  <input name={`extra${i}.netmask`} value={x.netmask} disabled={!canEdit.value || !!pending || (i > 0 && !x.enabled)} onInput={(e) => setExtra(i, { netmask: e.currentTarget.value })} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <FormFoot errors={errors} onReload={() => void load()} />
      </form>
      <div class="note">
        <b>{t('nsWarning')}</b> {t('nsIpWarning', { s: 120 })}
      </div>
    </Section>
  );
}
