import { useEffect } from 'react'
import { Button } from '@zendeskgarden/react-buttons'
import { Alert, Title } from '@zendeskgarden/react-notifications'
import { SM } from '@zendeskgarden/react-typography'
import type { BridgeApi } from '../../bridge-api'
import { useI18n, type Translate } from '../../i18n'
import { useSoftphone, type SoftphoneOptions, type SoftphoneStatus } from './use-softphone'

export interface ISoftphoneProps {
  api: BridgeApi
  /** Opens the pop-out window; absent inside the pop-out itself. */
  onOpenWindow?: () => void
  /** Called each time the session's status changes, so the pop-out can tell the top bar. */
  onStatus?: (status: SoftphoneStatus) => void
  options?: SoftphoneOptions
}

/** The in-browser softphone: session state, the incoming call with Answer and Reject, then Mute and Hang up. */
export function Softphone({ api, onOpenWindow, onStatus, options }: ISoftphoneProps) {
  const { t } = useI18n()
  const phone = useSoftphone(api, options)
  const { status, call } = phone
  useEffect(() => onStatus?.(status), [status, onStatus])

  return (
    <section aria-label={t('softphone.title')} style={{ display: 'grid', gap: 8 }}>
      <SM role="status" style={{ color: '#68737d' }}>
        {t('softphone.title')}: {statusText(status, t)}
      </SM>
      <StatusAlert status={status} onRetry={phone.retry} onOpenWindow={onOpenWindow} />
      {call?.phase === 'ringing' && (
        <Alert type="info" role="alert" aria-live="assertive">
          <Title>{t('softphone.incoming')}</Title>
          <div>{call.from || t('common.unknown_caller')}</div>
          <div style={{ display: 'flex', flexWrap: 'wrap', gap: 8, marginTop: 8 }}>
            <Button size="small" isPrimary onClick={phone.answer}>
              {t('softphone.answer')}
            </Button>
            <Button size="small" isDanger onClick={phone.reject}>
              {t('softphone.reject')}
            </Button>
          </div>
        </Alert>
      )}
      {call?.phase === 'live' && (
        <Alert type="success" role="status">
          <Title>{t('softphone.on_call', { from: call.from || t('common.unknown_caller') })}</Title>
          <div style={{ display: 'flex', flexWrap: 'wrap', gap: 8, marginTop: 8 }}>
            <Button size="small" aria-pressed={call.muted} onClick={phone.toggleMute}>
              {call.muted ? t('softphone.unmute') : t('softphone.mute')}
            </Button>
            <Button size="small" isDanger onClick={phone.hangup}>
              {t('softphone.hang_up')}
            </Button>
          </div>
        </Alert>
      )}
      {phone.actionError && (
        <Alert type="error" role="alert">
          {t('softphone.action_failed', { reason: phone.actionError })}
        </Alert>
      )}
    </section>
  )
}

function statusText(status: SoftphoneStatus, t: Translate): string {
  return t(`softphone.status.${status.kind}`)
}

function StatusAlert({ status, onRetry, onOpenWindow }: { status: SoftphoneStatus; onRetry: () => void; onOpenWindow?: () => void }) {
  const { t } = useI18n()
  if (status.kind === 'microphone_blocked' || status.kind === 'no_microphone') {
    const inWindow = onOpenWindow !== undefined && status.kind === 'microphone_blocked'
    return (
      <Alert type="warning" role="alert">
        <Title>{t(`softphone.${status.kind}_title`)}</Title>
        {t(inWindow ? 'softphone.microphone_blocked_frame' : `softphone.${status.kind}_text`)}
        <div style={{ display: 'flex', flexWrap: 'wrap', gap: 8, marginTop: 8 }}>
          {inWindow && (
            <Button size="small" isPrimary onClick={onOpenWindow}>
              {t('softphone.open_window')}
            </Button>
          )}
          <Button size="small" onClick={onRetry}>
            {t('common.retry')}
          </Button>
        </div>
      </Alert>
    )
  }
  if (status.kind === 'token_failed' || status.kind === 'vonage_unreachable' || status.kind === 'disconnected') {
    const message =
      status.kind === 'token_failed' ? status.message : t(`softphone.${status.kind}_text`, { reason: status.reason })
    return (
      <Alert type="error" role="alert">
        <Title>{t(`softphone.${status.kind}_title`)}</Title>
        {message}
        <div style={{ marginTop: 8 }}>
          <Button size="small" onClick={onRetry}>
            {t('common.retry')}
          </Button>
        </div>
      </Alert>
    )
  }
  return null
}
