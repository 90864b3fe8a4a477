import { useEffect, useId, useState, type ReactNode } from 'react'
import { Button } from '@zendeskgarden/react-buttons'
import { Dots } from '@zendeskgarden/react-loaders'
import { Alert, Notification } from '@zendeskgarden/react-notifications'
import { MD, SM } from '@zendeskgarden/react-typography'
import type { BridgeApi } from '../bridge-api'
import { formatDuration } from '../format'
import { useI18n } from '../i18n'
import { TransferPanel } from './transfer/TransferPanel'

/** Body of `POST /app/api/calls/{id}/control`; transfers go through TransferPanel. */
type ControlRequest = { action: 'mute' | 'unmute' | 'hold' | 'unhold' | 'hangup' } | { action: 'dtmf'; digits: string }

const KEYPAD = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '0', '#']

export interface LiveCallProps {
  api: BridgeApi
  callId: string
  /**
   * Start of the call from the bridge. While it is null the agent's phone is still ringing,
   * so the heading shows "Ringing your phone…" and no timer runs.
   * NOTE: the app's call list has no `answered_at`, so the start time is the only answer signal here.
   */
  startedAt: string | null
  /** Reason the controls are off for this user, or null when they may control the call. */
  disabledReason: string | null
  /** Called after a hang-up or a transfer, so the sidebar reloads the ticket's calls. */
  onCallChanged: () => void
}

/**
 * Renders a live call with its timer, controls and transfer panel. The transfer panel reads
 * the mute and hold state from the bridge when it opens, and this component flips them only
 * after the bridge agrees.
 * One action runs at a time, and a failed action shows the bridge's message.
 */
export function LiveCall({ api, callId, startedAt, disabledReason, onCallChanged }: LiveCallProps) {
  const { t } = useI18n()
  const [muted, setMuted] = useState(false)
  const [held, setHeld] = useState(false)
  const [ended, setEnded] = useState(false)
  const [pending, setPending] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [notice, setNotice] = useState<string | null>(null)
  const [tonesSent, setTonesSent] = useState('')
  const [keypadOpen, setKeypadOpen] = useState(false)
  const baseId = useId()
  const titleId = `${baseId}-title`
  const keypadId = `${baseId}-keypad`

  const isDisabled = disabledReason !== null || ended

  /** Sends one control action. `busyKey` names the control that shows the busy state. */
  const control = async (busyKey: string, request: ControlRequest, onSuccess: () => void) => {
    if (pending !== null || isDisabled) return
    setPending(busyKey)
    setError(null)
    setNotice(null)
    try {
      await api.post(`/app/api/calls/${encodeURIComponent(callId)}/control`, request)
      onSuccess()
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure))
    } finally {
      setPending(null)
    }
  }

  const toggleMute = () => void control('mute', { action: muted ? 'unmute' : 'mute' }, () => setMuted(!muted))

  const toggleHold = () =>
    void control('hold', { action: held ? 'unhold' : 'hold' }, () => setHeld(!held))

  const hangUp = () =>
    void control('hangup', { action: 'hangup' }, () => {
      setEnded(true)
      setNotice(t('sidebar.call_ended'))
      onCallChanged()
    })

  const sendTone = (key: string) => void control(`dtmf:${key}`, { action: 'dtmf', digits: key }, () => setTonesSent((sent) => sent + key))

  const handedOver = (message: string) => {
    setEnded(true)
    setNotice(message)
    onCallChanged()
  }

  // Busy controls stay focusable (aria-disabled, not disabled), so keyboard focus is not lost while a request runs.
  const controlButton = (busyKey: string, label: string, onClick: () => void, extra: { isDanger?: boolean; isDisabled?: boolean } = {}): ReactNode => {
    const isBusy = pending === busyKey
    return (
      <Button
        key={busyKey}
        size="small"
        isDanger={extra.isDanger}
        disabled={isDisabled || extra.isDisabled}
        aria-disabled={pending !== null ? true : undefined}
        aria-busy={isBusy ? true : undefined}
        title={disabledReason ?? undefined}
        onClick={onClick}
      >
        {label}
        {isBusy && (
          <>
            {' '}
            <Dots size={12} aria-label={t('sidebar.sending')} />
          </>
        )}
      </Button>
    )
  }

  return (
    <section aria-labelledby={titleId}>
      <MD isBold tag="h2" id={titleId}>
        {startedAt === null ? (
          t('sidebar.ringing')
        ) : (
          <>
            {t('sidebar.live_title')} · <CallTimer startedAt={startedAt} label={t('sidebar.timer_label')} />
          </>
        )}
      </MD>

      <div style={{ display: 'flex', gap: 4, flexWrap: 'wrap', margin: '4px 0' }}>
        {/* Nobody hears the customer on hold, so muting the agent then changes nothing and is off. */}
        {controlButton('mute', muted ? t('sidebar.unmute') : t('sidebar.mute'), toggleMute, { isDisabled: held })}
        {controlButton('hold', held ? t('sidebar.resume') : t('sidebar.hold'), toggleHold)}
        {controlButton('hangup', t('sidebar.hang_up'), hangUp, { isDanger: true })}
        <Button size="small" isBasic aria-expanded={keypadOpen} aria-controls={keypadId} disabled={isDisabled} onClick={() => setKeypadOpen(!keypadOpen)}>
          {t('sidebar.keypad')}
        </Button>
      </div>

      {disabledReason !== null && <SM style={{ color: '#68737d' }}>{disabledReason}</SM>}
      {held && <SM>{t('hold.on_hold_music')}</SM>}
      {muted && !held && <SM>{t('sidebar.muted')}</SM>}

      {keypadOpen && !isDisabled && (
        <div id={keypadId} role="group" aria-label={t('sidebar.keypad_label')} style={{ display: 'grid', gridTemplateColumns: 'repeat(3, 40px)', gap: 4, margin: '8px 0' }}>
          {KEYPAD.map((key) => controlButton(`dtmf:${key}`, key, () => sendTone(key)))}
        </div>
      )}
      {tonesSent !== '' && <SM>{t('sidebar.tones_sent', { digits: tonesSent })}</SM>}

      <TransferPanel api={api} callId={callId} isDisabled={isDisabled} onHoldChanged={setHeld} onMutedLoaded={setMuted} onHandedOver={handedOver} />

      <div role="status" style={{ marginTop: 8 }}>
        {notice && <Alert type="success">{notice}</Alert>}
      </div>
      {error && (
        <Notification type="error" role="alert" style={{ marginTop: 8 }}>
          <Notification.Title>{t('sidebar.control_failed')}</Notification.Title>
          {error}
        </Notification>
      )}
    </section>
  )
}

/** Counts seconds since `startedAt`. */
function CallTimer({ startedAt, label }: { startedAt: string; label: string }) {
  const [now, setNow] = useState(() => Date.now())
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000)
    return () => clearInterval(timer)
  }, [])
  const start = new Date(startedAt).getTime()
  return (
    <span role="timer" aria-label={label}>
      {formatDuration(Math.max(0, Math.floor((now - start) / 1000)))}
    </span>
  )
}
