/** Pieces the E1 and VoIP pages share: the "no E1 on this box" answer, live reloads, the port list. */
import { useEffect, useState } from 'preact/hooks';
import { ApiError, get, showError } from '../../api.ts';
import { t } from '../../i18n.ts';
import { onLiveEvent } from '../../live.ts';
import { Errors, canEdit } from '../../ui.tsx';
import './labels.ts';

export const isNoE1 = (e: unknown) => e instanceof ApiError && (e.code === 'E1_NOT_AVAILABLE' || e.status === 404);

export function NoE1(props: { title: string }) {
  return (
    <section class="panel">
      <h2>{props.title}</h2>
      <p class="note" data-testid="no-e1">{t('noE1')}</p>
    </section>
  );
}

/** Runs `reload` (at most every 300 ms) after each live event of `types` that `matches`. */
export function useLiveReload(types: string[], matches: (e: any) => boolean, reload: () => void): void {
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const off = onLiveEvent(types, (e) => {
      if (!matches(e) || timer) return;
      timer = setTimeout(() => {
        timer = undefined;
        reload();
      }, 300);
    });
    return () => {
      off();
      clearTimeout(timer);
    };
  }, []);
}

/** `GET /e1/ports`: the list, `'none'` on a box without E1, null while loading. */
export function useE1Ports(): [any[] | 'none' | null, (list: any[]) => void, () => void] {
  const [ports, setPorts] = useState<any[] | 'none' | null>(null);
  const load = () =>
    get('/e1/ports').then(
      (r) => setPorts(r.items),
      (e) => (isNoE1(e) ? setPorts('none') : showError(e)),
    );
  useEffect(() => void load(), []);
  return [ports, setPorts, load];
}

/** Port buttons (E1 0, E1 1, …) above a port's view. */
export function PortTabs(props: { ports: any[]; port: number; onPick: (p: number) => void }) {
  return (
    <div class="buttons" role="tablist">
      {props.ports.map((p) => (
        <button type="button" role="tab" key={p.port} class={p.port === props.port ? 'current' : ''} aria-selected={p.port === props.port} onClick={() => props.onPick(p.port)}>
          {t('e1Port')} {p.port}
          {p.settings?.name ? ` (${p.settings.name})` : ''}
        </button>
      ))}
    </div>
  );
}

/** A 开启/关闭 select of a boolean field. */
export function OnOff(props: { name: string; value: boolean; onChange: (v: boolean) => void }) {
  return (
    <select name={props.name} value={props.value ? '1' : '0'} disabled={!canEdit.value} onChange={(e) => props.onChange(e.currentTarget.value === '1')}>
      <option value="1">{t('on')}</option>
      <option value="0">{t('off')}</option>
    </select>
  );
}

/** The form's messages and its 提交 / 重填 (and 重新加载 with `onReload`) buttons. */
export function FormFoot(props: { errors: string[]; onReload?: () => void }) {
  return (
    <>
      <Errors list={props.errors} />
      <div class="buttons">
        <button type="submit" disabled={!canEdit.value}>{t('submit')}</button>
        <button type="reset" disabled={!canEdit.value}>{t('reset')}</button>
        {props.onReload ? <button type="button" onClick={props.onReload}>{t('reload')}</button> : null}
      </div>
    </>
  );
}
