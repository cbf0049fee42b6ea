/** 系统调试 (manual 3.23): Ping 测试 with address, count and size; the output shown line by line as ping prints it. */
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, csrfHeaders, errorText } from '../../api.ts';
import { t } from '../../i18n.ts';
import { Errors, Row, Section, canEdit, checkNumber } from '../../ui.tsx';
import { PRE } from './syslog-page.tsx';
import './maint-labels.ts';

const IPV4 = /^((25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(25[0-5]|2[0-4]\d|1?\d?\d)$/;
const IPV6 = /^(?=.*:.*:)[0-9A-Fa-f:.]{2,45}$/;
const HOST = /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?)*\.?$/;

export const targetValid = (v: string) => IPV4.test(v) || IPV6.test(v) || (HOST.test(v) && !/^[\d.]+$/.test(v));

/** Server-Sent Events from a fetch body: each `event`/`data` block as it arrives. */
async function* sseEvents(res: Response): AsyncGenerator<{ event: string; data: any }> {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buf = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buf += decoder.decode(value, { stream: true });
    let cut: number;
    while ((cut = buf.indexOf('\n\n')) >= 0) {
      const block = buf.slice(0, cut);
      buf = buf.slice(cut + 2);
      const event = /^event: (.*)$/m.exec(block)?.[1];
      const data = /^data: (.*)$/m.exec(block)?.[1];
      if (event && data) yield { event, data: JSON.parse(data) };
    }
  }
}

export function DebugPing() {
  const [form, setForm] = useState({ target: '', count: '4', size: '56' });
  const [errors, setErrors] = useState<string[]>([]);
  const [lines, setLines] = useState<string[]>([]);
  const [summary, setSummary] = useState<string>('');
  const [running, setRunning] = useState(false);
  const abort = useRef<AbortController | null>(null);
  useEffect(() => () => abort.current?.abort(), []);
  const set = (k: keyof typeof form, v: string) => setForm({ ...form, [k]: v });
  const submit = async (e: Event) => {
    e.preventDefault();
    const errs: string[] = [];
    const target = form.target.trim();
    if (!targetValid(target)) errs.push(t('badTarget'));
    for (const [k, label, min, max] of [['count', 'pingCount', 1, 100], ['size', 'pingSize', 0, 65500]] as const) {
      const m = checkNumber(t(label), form[k], min, max);
      if (m) errs.push(m);
    }
    setErrors(errs);
    if (errs.length) return;
    const controller = new AbortController();
    abort.current = controller;
    setLines([]);
    setSummary('');
    setRunning(true);
    try {
      const res = await fetch('/api/v1/diagnostics/ping', {
        method: 'POST', credentials: 'same-origin', signal: controller.signal,
        headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...csrfHeaders() },
        body: JSON.stringify({ target, count: Number(form.count), size: Number(form.size) }),
      });
      if (!res.ok) {
        const body = await res.json().catch(() => null);
        const err = new ApiError(res.status, String(body?.error?.code ?? res.status), String(body?.error?.message ?? res.statusText), body);
        setErrors([res.status === 429 ? t('pingBusy') : errorText(err)]);
        return;
      }
      const got: string[] = [];
      for await (const ev of sseEvents(res)) {
        if (ev.event === 'start') got.push(`$ ${ev.data.command}`);
        else if (ev.event === 'line') got.push(ev.data.line);
        else if (ev.event === 'end' && ev.data.transmitted !== null) setSummary(t('pingDone', { t: ev.data.transmitted, r: ev.data.received }));
        setLines([...got]);
      }
    } catch (x) {
      if ((x as Error).name !== 'AbortError') setErrors([errorText(x)]);
    } finally {
      setRunning(false);
      abort.current = null;
    }
  };
  return (
    <Section title={t('pingTest')}>
      <form id="ping-form" onSubmit={submit}>
        <table class="form">
          <tbody>
            <Row label={t('pingTarget')} hint={t('pingTargetHint')}>
              <input name="target" value={form.target} onInput={(e) => set('target', e.currentTarget.value)} />
            </Row>
            <Row label={t('pingCount')} hint="(1 ~ 100)">
              <input name="count" class="short" inputMode="numeric" value={form.count} onInput={(e) => set('count', e.currentTarget.value)} />
            </Row>
            <Row label={t('pingSize')} hint={t('pingSizeHint')}>
              <input name="size" class="short" inputMode="numeric" value={form.size} onInput={(e) => set('size', e.currentTarget.value)} />
            </Row>
          </tbody>
        </table>
        <Errors list={errors} />
        <div class="buttons">
          <button type="submit" disabled={!canEdit.value || running}>{running ? t('pingRunning') : t('submit')}</button>
          {running ? <button type="button" onClick={() => abort.current?.abort()}>{t('pingStop')}</button> : null}
        </div>
      </form>
      <pre class="log-tail" style={PRE} id="ping-output" aria-live="polite">{lines.join('\n')}</pre>
      {summary ? <p id="ping-summary">{summary}</p> : null}
    </Section>
  );
}
