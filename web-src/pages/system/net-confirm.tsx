/**
 * The page the IP settings page opens at the box's new address: it confirms
 * the change with the one-time token it carries (no session is needed, the
 * new address has none yet) and leads on to the login.
 */
import { useEffect, useState } from 'preact/hooks';
import { api, errorText } from '../../api.ts';
import { t } from '../../i18n.ts';
import './netsys-labels.ts';

export function NetConfirm() {
  const [state, setState] = useState<'busy' | 'ok' | string>('busy');
  useEffect(() => {
    const token = new URLSearchParams(location.hash.slice(1)).get('token') ?? '';
    api('POST', '/system/network/confirm-token', { body: { token }, quiet401: true }).then(
      () => setState('ok'),
      (e) => setState(errorText(e)),
    );
  }, []);
  return (
    <div class="login-page">
      <div class="login" data-testid="net-confirm">
        <h1>{t('nsConfirmTitle')}</h1>
        <p role="status">{state === 'busy' ? t('nsConfirming') : state === 'ok' ? t('nsConfirmed') : t('nsConfirmFailed', { m: state })}</p>
        <a href="/login">{t('nsToLogin')}</a>
      </div>
    </div>
  );
}
