import { useEffect, useId, useState, type FormEvent } from 'react'
import { Button } from '@zendeskgarden/react-buttons'
import { Field, Hint, Input, Label, Select } from '@zendeskgarden/react-forms'
import { Dots } from '@zendeskgarden/react-loaders'
import { Alert, Notification } from '@zendeskgarden/react-notifications'
import { MD, SM } from '@zendeskgarden/react-typography'
import type { BridgeApi } from '../../bridge-api'
import { useI18n } from '../../i18n'
import { ConsultControls } from './ConsultControls'
import {
  loadTargets,
  loadTransferState,
  requestTransfer,
  sendConsultAction,
  transferToNumber,
  type ConsultAction,
  type TargetType,
  type TransferState,
  type TransferTargets,
} from './transfer-api'

/** How often the panel reads the consultation from the bridge, to see a target who hung up. */
const CONSULT_POLL_MS = 5000

export interface TransferPanelProps {
  api: BridgeApi
  callId: string
  isDisabled: boolean
  /** Called with the hold state the bridge reports after a transfer step. */
  onHoldChanged: (onHold: boolean) => void
  /** Called with the agent's mute state each time the panel reads the call's state from the bridge. */
  onMutedLoaded?: (muted: boolean) => void
  /** Called when the customer has left this agent (a transfer, a completed handover or the end of the call). */
  onHandedOver: (message: string) => void
}

/**
 * Renders the transfer panel of a live call: pick an agent, a queue or a number, then
 * transfer at once or consult first. During a consultation it offers complete, return and conference.
 * Errors show the bridge's message, and nothing changes on the panel until the bridge agrees.
 */
export function TransferPanel({ api, callId, isDisabled, onHoldChanged, onMutedLoaded, onHandedOver }: TransferPanelProps) {
  const { t } = useI18n()
  const [type, setType] = useState<TargetType>('number')
  const [value, setValue] = useState('')
  const [targets, setTargets] = useState<TransferTargets | null>(null)
  const [consult, setConsult] = useState<TransferState['consult']>(null)
  const [pending, setPending] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [notice, setNotice] = useState<string | null>(null)
  const titleId = `${useId()}-transfer`

  // A reload during a consultation shows it again; a bridge without the route leaves the panel as it is.
  useEffect(() => {
    let active = true
    const refresh = () =>
      loadTransferState(api, callId)
        .then((state) => {
          if (!active) return
          setConsult(state.consult)
          onHoldChanged(state.on_hold)
          onMutedLoaded?.(state.agent_muted === true)
        })
        .catch(() => undefined)
    void refresh()
    const timer = consult !== null ? setInterval(refresh, CONSULT_POLL_MS) : undefined
    return () => {
      active = false
      clearInterval(timer)
    }
  }, [api, callId, consult !== null])

  useEffect(() => {
    if (type === 'number' || targets !== null) return
    loadTargets(api)
      .then(setTargets)
      .catch((failure) => setError(t('transfer.targets_failed', { message: failure instanceof Error ? failure.message : String(failure) })))
  }, [api, type, targets, t])

  const run = async (key: string, step: () => Promise<void>) => {
    if (pending !== null || isDisabled) return
    setPending(key)
    setError(null)
    setNotice(null)
    try {
      await step()
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure))
    } finally {
      setPending(null)
    }
  }

  const choices = (): Array<{ id: string; name: string }> => {
    if (type === 'agent') return targets?.agents ?? []
    if (type === 'queue') return targets?.queues ?? []
    return []
  }
  const targetName = (): string => choices().find((item) => item.id === value)?.name ?? value.trim()
  const labels: Record<TargetType, string> = { number: t('sidebar.transfer_to'), agent: t('transfer.agent_label'), queue: t('transfer.queue_label') }

  const transferNow = (event?: FormEvent) => {
    event?.preventDefault()
    const target = value.trim()
    if (target === '') return
    void run('transfer', async () => {
      if (type === 'number') {
        await transferToNumber(api, callId, target)
        onHandedOver(t('sidebar.transferred', { number: target }))
      } else {
        await requestTransfer(api, callId, 'cold', { type, value: target })
        onHandedOver(t('transfer.transferred_to', { target: targetName() }))
      }
    })
  }

  const startConsult = () =>
    void run('consult', async () => {
      const state = await requestTransfer(api, callId, 'consult', { type, value: value.trim() })
      setConsult(state.consult)
      onHoldChanged(state.on_hold)
    })

  const act = (action: ConsultAction) =>
    void run(action, async () => {
      const target = consult?.target ?? ''
      const { state } = await sendConsultAction(api, callId, action)
      if (state === 'conference') {
        setConsult(consult && { ...consult, state: 'conference' })
        onHoldChanged(false)
        return
      }
      setConsult(null)
      if (state === 'returned') {
        onHoldChanged(false)
        setNotice(t('transfer.returned'))
      } else {
        onHandedOver(state === 'ended' ? t('transfer.ended') : t('transfer.completed', { target }))
      }
    })

  const busy = (key: string) =>
    pending === key && (
      <>
        {' '}
        <Dots size={12} aria-label={t('sidebar.sending')} />
      </>
    )
  const canSend = !isDisabled && value.trim() !== ''

  return (
    <section aria-labelledby={titleId} style={{ marginTop: 8 }}>
      <MD isBold tag="h3" id={titleId}>
        {t('transfer.title')}
      </MD>
      {consult !== null ? (
        <ConsultControls consult={consult} isDisabled={isDisabled} pending={pending} onAction={act} busy={busy} />
      ) : (
        <form onSubmit={transferNow}>
          <Field>
            <Label>{t('transfer.target_type')}</Label>
            <Select
              isCompact
              value={type}
              disabled={isDisabled}
              onChange={(event) => {
                setType(event.target.value as TargetType)
                setValue('')
              }}
            >
              <option value="number">{t('transfer.type_number')}</option>
              <option value="agent">{t('transfer.type_agent')}</option>
              <option value="queue">{t('transfer.type_queue')}</option>
            </Select>
          </Field>
          <Field>
            <Label>{labels[type]}</Label>
            <Hint>{t('transfer.hint')}</Hint>
            {type === 'number' ? (
              <Input type="tel" isCompact autoComplete="off" value={value} disabled={isDisabled} onChange={(event) => setValue(event.target.value)} />
            ) : (
              <Select isCompact value={value} disabled={isDisabled || targets === null} onChange={(event) => setValue(event.target.value)}>
                <option value="">{t('transfer.pick')}</option>
                {choices().map((item) => (
                  <option key={item.id} value={item.id}>
                    {item.name}
                  </option>
                ))}
              </Select>
            )}
          </Field>
          {type === 'agent' && targets !== null && targets.agents.length === 0 && <SM>{t('transfer.no_agents')}</SM>}
          <div style={{ display: 'flex', gap: 4, marginTop: 4 }}>
            <Button size="small" type="submit" disabled={!canSend} aria-disabled={pending !== null ? true : undefined} aria-busy={pending === 'transfer' ? true : undefined}>
              {t('sidebar.transfer')}
              {busy('transfer')}
            </Button>
            <Button size="small" disabled={!canSend} aria-disabled={pending !== null ? true : undefined} aria-busy={pending === 'consult' ? true : undefined} onClick={startConsult}>
              {t('transfer.consult')}
              {busy('consult')}
            </Button>
          </div>
        </form>
      )}
      <div role="status" style={{ marginTop: 8 }}>
        {notice && <Alert type="success">{notice}</Alert>}
      </div>
      {error && (
        <Notification type="error" role="alert" style={{ marginTop: 8 }}>
          <Notification.Title>{t('transfer.failed')}</Notification.Title>
          {error}
        </Notification>
      )}
    </section>
  )
}
