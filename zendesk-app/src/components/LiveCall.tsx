import { useEffect, useId, useState, type FormEvent, type ReactNode } from 'react'
import { Button } from '@zendeskgarden/react-buttons'
import { Field, Hint, Input, Label } from '@zendeskgarden/react-forms'
import { Dots } from '@zendeskgarden/react-loaders'
import { Alert, Notification } from '@zendeskgarden/react-notifications'
import { MD, SM } from '@zendeskgarden/react-typography'
import type { BridgeApi } from '../bridge-api'
import { formatDuration } from '../format'
import { useI18n } from '../i18n'

/** Body of `POST /app/api/calls/{id}/control`. */
type ControlRequest =
  | { action: 'mute' | 'unmute' | 'hold' | 'unhold' | 'hangup' }
  | { action: 'dtmf'; digits: string }
  | { action: 'transfer'; to: string }

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
 * Renders a live call with its timer and controls. Mute and hold are not in the bridge's
 * call list, so this component keeps them and flips them only after the bridge returns 204.
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
  const [transferTo, setTransferTo] = useState('')
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
    void control('hold', { action: held ? 'unhold' : 'hold' }, () => {
      setHeld(!held)
      setMuted(false)
    })

  const hangUp = () =>
    void control('hangup', { action: 'hangup' }, () => {
      setEnded(true)
      setNotice(t('sidebar.call_ended'))
      onCallChanged()
    })

  const sendTone = (key: string) => void control(`dtmf:${key}`, { action: 'dtmf', digits: key }, () => setTonesSent((sent) => sent + key))

  const transfer = (event: FormEvent) => {
    event.preventDefault()
    const number = transferTo.trim()
    if (number === '') return
    void control('transfer', { action: 'transfer', to: number }, () => {
      setTransferTo('')
      setNotice(t('sidebar.transferred', { number }))
      onCallChanged()
    })
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
        {/* Hold mutes the agent as well and resume unmutes them, so mute is off while the call is on hold. */}
        {controlButton('mute', muted ? t('sidebar.unmute') : t('sidebar.mute'), toggleMute, { isDisabled: held })}
        {controlButton('hold', held ? t('sidebar.resume') : t('sidebar.hold'), toggleHold)}
        {controlButton('hangup', t('sidebar.hang_up'), hangUp, { isDanger: true })}
        <Button size="small" isBasic aria-expanded={keypadOpen} aria-controls={keypadId} disabled={isDisabled} onClick={() => setKeypadOpen(!keypadOpen)}>
          {t('sidebar.keypad')}
        </Button>
      </div>

      {disabledReason !== null && <SM style={{ color: '#68737d' }}>{disabledReason}</SM>}
      {held && <SM>{t('sidebar.on_hold')}</SM>}
      {muted && !held && <SM>{t('sidebar.muted')}</SM>}

      {keypadOpen && !isDisabled && (
        <div id={keypadId} role="group" aria-label={t('sidebar.keypad_label')} style={{ display: 'grid', gridTemplateColumns: 'repeat(3, 40px)', gap: 4, margin: '8px 0' }}>
          {KEYPAD.map((key) => controlButton(`dtmf:${key}`, key, () => sendTone(key)))}
        </div>
      )}
      {tonesSent !== '' && <SM>{t('sidebar.tones_sent', { digits: tonesSent })}</SM>}

      <form onSubmit={transfer} style={{ marginTop: 8 }}>
        <Field>
          <Label>{t('sidebar.transfer_to')}</Label>
          <Hint>{t('sidebar.transfer_hint')}</Hint>
          <div style={{ display: 'flex', gap: 4, alignItems: 'center' }}>
            <Input type="tel" isCompact autoComplete="off" value={transferTo} disabled={isDisabled} onChange={(event) => setTransferTo(event.target.value)} />
            <Button
              size="small"
              type="submit"
              disabled={isDisabled || transferTo.trim() === ''}
              aria-disabled={pending !== null ? true : undefined}
              aria-busy={pending === 'transfer' ? true : undefined}
            >
              {t('sidebar.transfer')}
              {pending === 'transfer' && (
                <>
                  {' '}
                  <Dots size={12} aria-label={t('sidebar.sending')} />
                </>
              )}
            </Button>
          </div>
        </Field>
      </form>

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
