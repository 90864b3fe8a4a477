import { Button } from '@zendeskgarden/react-buttons'
import { Alert, Title } from '@zendeskgarden/react-notifications'
import type { BridgeApi } from '../../bridge-api'
import { useI18n } from '../../i18n'
import { Softphone } from './Softphone'
import { useSoftphoneWindow } from './softphone-window'

/**
 * Renders the top bar's softphone: in the frame while the microphone works there, otherwise
 * in a pop-out window. While the pop-out handles calls the frame opens no Vonage session, so
 * an invite never rings in two places.
 */
export function SoftphonePanel({ api }: { api: BridgeApi }) {
  const { t, locale, timeZone } = useI18n()
  const popout = useSoftphoneWindow(api, locale, timeZone)

  const windowError = popout.error && (
    <Alert type="error" role="alert">
      {popout.error.kind === 'popup_blocked' ? t('softphone.popup_blocked') : t('softphone.window_session_failed', { reason: popout.error.message })}
    </Alert>
  )
  if (popout.state === 'open') {
    return (
      <Alert type="success" role="status">
        {t('softphone.window_active')}
      </Alert>
    )
  }
  if (popout.state === 'failing') {
    return (
      <Alert type="warning" role="alert">
        {t('softphone.window_failing')}
      </Alert>
    )
  }
  if (popout.state === 'closed') {
    return (
      <>
        <Alert type="warning" role="alert">
          <Title>{t('softphone.window_closed_title')}</Title>
          {t('softphone.window_closed_text')}
          <div style={{ marginTop: 8 }}>
            <Button size="small" isPrimary onClick={popout.open}>
              {t('softphone.open_window')}
            </Button>
          </div>
        </Alert>
        {windowError}
      </>
    )
  }
  return (
    <>
      <Softphone api={api} onOpenWindow={popout.open} />
      {windowError}
    </>
  )
}
