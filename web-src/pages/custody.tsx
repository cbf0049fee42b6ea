/**
 * 录音验证 (chain of custody, docs/custody.md): a recording's check against
 * its signed statement as a mark in the search results, and the page with
 * the device key's fingerprint, its public key to download, and the box's
 * check of the whole chain.
 */
import { useEffect, useState } from 'preact/hooks';
import { errorText, get, showError } from '../api.ts';
import { t } from '../i18n.ts';
import { Section, infoRow } from '../ui.tsx';

type Verdict = 'intact' | 'altered' | 'unsigned';

/** 1a2b3c4d… in groups of four, as the device page and the printed fingerprint show it. */
const grouped = (hex: string) => hex.replace(/(.{4})(?=.)/g, '$1 ');

/** What `GET /records/:id/verify` says, in three words: the file, its statement, its place in the chain. */
function verdictOf(v: any): Verdict {
  const c = v.custody;
  if (!v.match) return 'altered';
  if (!c?.signed) return 'unsigned';
  return c.signatureValid && c.keyTrusted && c.matchesStatement && c.chain?.inChain ? 'intact' : 'altered';
}

const MARK: Record<Verdict, string> = { intact: '✔', altered: '✘', unsigned: '–' };

/** A recording's verify mark: a button that checks it, then the verdict with the signature and key in its tooltip. */
export function VerifyMark(props: { id: string }) {
  const [state, setState] = useState<{ verdict: Verdict; detail: string } | { error: string } | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => setState(null), [props.id]);
  const check = async () => {
    setBusy(true);
    try {
      const v = await get(`/records/${encodeURIComponent(props.id)}/verify`);
      const verdict = verdictOf(v);
      const c = v.custody;
      const detail = c?.signed
        ? `${t(`cv_${verdict}`)}\n${t('signature')}: ${c.signature ?? ''}\n${t('keyFingerprint')}: ${grouped(c.key)}\n${t('chainSeq')}: ${c.seq}`
        : t(`cv_${verdict}`);
      setState({ verdict, detail });
    } catch (e) {
      setState({ error: errorText(e) });
    } finally {
      setBusy(false);
    }
  };
  if (state && 'verdict' in state) {
    return (
      <span class={`verify-mark ${state.verdict}`} data-verdict={state.verdict} title={state.detail} tabIndex={0} onClick={check}>
        {MARK[state.verdict]} {t(`cv_${state.verdict}`)}
      </span>
    );
  }
  return (
    <button type="button" class="icon verify" disabled={busy} title={state ? state.error : t('verifyOne')} aria-label={t('verifyOne')} onClick={check}>
      {state ? '?' : '✓'}
    </button>
  );
}

/** 系统信息 → 录音验证: the device key and the chain check. */
export function CustodyPage() {
  const [key, setKey] = useState<{ keyFingerprint: string; publicKeyUrl: string } | null | undefined>(undefined);
  const [report, setReport] = useState<any>(null);
  const [busy, setBusy] = useState(false);
  const verify = async () => {
    setBusy(true);
    try {
      setReport(await get('/custody/chain/verify'));
    } catch (e) {
      showError(e);
    } finally {
      setBusy(false);
    }
  };
  useEffect(() => {
    get('/device').then((d) => setKey(d.custody ?? null), showError);
    void verify();
  }, []);
  const row = infoRow;
  return (
    <div class="cards">
      <Section title={t('deviceKey')}>
        {key === null ? <p class="warn">{t('custodyOff')}</p> : null}
        {key ? (
          <table class="form">
            <tbody>
              <tr>
                <th scope="row">{t('keyFingerprint')}:</th>
                <td><code id="key-fingerprint">{key.keyFingerprint}</code></td>
              </tr>
              <tr>
                <th scope="row">{t('publicKey')}:</th>
                <td><a class="button" id="public-key" href={key.publicKeyUrl} download>{t('downloadPublicKey')}</a></td>
              </tr>
            </tbody>
          </table>
        ) : null}
        <p class="hint">{t('custodyHint')}</p>
      </Section>
      <Section title={t('chainCheck')}>
        <div class="buttons">
          <button type="button" id="chain-verify" disabled={busy} onClick={() => void verify()}>{t('chainVerify')}</button>
        </div>
        {report ? (
          <div id="chain-report" data-ok={String(report.ok)}>
            <p class={report.ok ? 'ok' : 'warn'}>{t(report.ok ? 'chainGood' : 'chainBad')}</p>
            <table class="form">
              <tbody>
                {row(t('chainEntries'), report.entries)}
                {row(t('chainRange'), report.firstSeq === null ? '-' : `${report.firstSeq} – ${report.lastSeq}`)}
                {row(t('chainLastHash'), report.lastHash)}
                {(report.keys as any[]).map((k) => row(t(k.trusted ? 'keyTrusted' : 'keyForeign'), `${grouped(k.fingerprint)} (${t('chainEntriesN', { n: k.entries })})`))}
              </tbody>
            </table>
            {report.problems.length ? (
              <ul class="errors">
                {(report.problems as any[]).map((p) => <li key={`${p.line}-${p.kind}`}>{`#${p.seq} (${t('chainLine')} ${p.line}) ${p.kind}: ${p.reason}`}</li>)}
              </ul>
            ) : null}
          </div>
        ) : null}
      </Section>
    </div>
  );
}
