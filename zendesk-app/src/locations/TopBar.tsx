import { useEffect, useState } from 'react'
import { Button } from '@zendeskgarden/react-buttons'
import { Alert, Title } from '@zendeskgarden/react-notifications'
import { MD, SM } from '@zendeskgarden/react-typography'
import type { BridgeApi, Me } from '../bridge-api'
import { ErrorState, Loading } from '../components/States'
import { StateSelect } from '../components/StateSelect'
import { DevicePicker } from '../components/DevicePicker'
import { SoftphonePanel } from '../components/softphone/SoftphonePanel'
import type { AgentDevices } from '../devices-api'
import { useAsync } from '../hooks'
import { useI18n } from '../i18n'
import { TabLock } from '../tab-lock'
import { useClient } from '../zaf'

interface Offer {
  offer_id: string
  call_id: string
  from: string | null
  caller_withheld: boolean
  ticket_id: number | null
}

/** Renders the softphone panel (agent state, incoming calls, Zendesk's dial-out), active in one tab only. */
export function TopBar({ api }: { api: BridgeApi }) {
  const client = useClient()
  const { t } = useI18n()
  const [me, reload] = useAsync(() => api.json<Me>('/app/api/me'), 'me')
  const [agentState, setAgentState] = useState<string | null>(null)
  const [devices, setDevices] = useState<AgentDevices | null>(null)
  const [offer, setOffer] = useState<Offer | null>(null)
  const [notice, setNotice] = useState<string | null>(null)
  // Zendesk's dial-out call, from the request until the bridge reports its end. callId stays null until the bridge creates the call.
  const [dialOutCall, setDialOutCall] = useState<{ number: string; callId: string | null } | null>(null)
  const [isOwner, setOwner] = useState(true)
  const [lock] = useState(() => new TabLock(setOwner))

  useEffect(() => {
    lock.start()
    return () => lock.stop()
  }, [lock])

  useEffect(() => {
    if (me.status === 'ready') setAgentState(me.value.agent?.state ?? null)
    const agent = me.status === 'ready' ? me.value.agent : null
    if (agent?.devices) setDevices({ devices: agent.devices, active_device: agent.active_device ?? null, device_chosen: agent.device_chosen ?? false })
  }, [me])

  useEffect(() => {
    if (!isOwner) return
    const controller = new AbortController()
    api.listen(
      '/app/api/events',
      (type, data) => {
        if (type === 'agent_state') setAgentState(data.state)
        if (type === 'call_offered') setOffer(data)
        if (type === 'offer_ended') setOffer((current) => (current?.offer_id === data.offer_id ? null : current))
        if (type === 'call_updated' && data.status !== 'in_progress') {
          setDialOutCall((current) => (current?.callId === data.call_id ? null : current))
        }
      },
      controller.signal,
    )
    const dialOut = (event: { number?: string }) => {
      const number = event.number ?? ''
      setNotice(null)
      setDialOutCall({ number, callId: null })
      api.json<{ call_id: string }>('/app/api/calls/outbound', { method: 'POST', body: { number: event.number } }).then(
        (started) => setDialOutCall((current) => (current?.number === number ? { number, callId: started.call_id } : current)),
        (error: Error) => {
          setDialOutCall(null)
          setNotice(error.message)
        },
      )
    }
    client.on('voice.dialout', dialOut)
    return () => {
      controller.abort()
      client.off?.('voice.dialout', dialOut)
    }
  }, [api, client, isOwner, t])

  if (me.status === 'loading') return <Loading />
  if (me.status === 'error') return <ErrorState message={me.message} onRetry={reload} />

  const respond = (action: 'accept' | 'decline') => {
    if (!offer) return
    api.json<{ ticket_id: number | null }>(`/app/api/offers/${offer.offer_id}/${action}`, { method: 'POST' }).then(
      (result) => {
        setOffer(null)
        if (action === 'accept' && result.ticket_id !== null) void client.invoke('routeTo', 'ticket', String(result.ticket_id))
      },
      (error: Error) => setNotice(error.message),
    )
  }

  // The softphone shows its own Answer and Reject for a call it rings, so the offer alert only names the caller.
  const softphoneRings = isOwner && devices?.active_device?.type === 'app'

  return (
    <div style={{ display: 'grid', gridTemplateColumns: 'minmax(0, 1fr)', gap: 12, padding: 4 }}>
      <MD isBold tag="h1">{t('topbar.title')} · {me.value.user.name}</MD>
      {!isOwner && (
        <Alert type="warning" role="status">
          {t('topbar.other_tab')}{' '}
          <Button size="small" onClick={() => lock.takeOver()}>
            {t('topbar.use_here')}
          </Button>
        </Alert>
      )}
      {agentState === null ? (
        <SM>{t('state.not_agent')}</SM>
      ) : (
        <StateSelect
          state={agentState}
          isDisabled={!isOwner}
          onChange={(state) =>
            api.json<{ state: string }>('/app/api/agent/state', { method: 'PUT', body: { state } }).then(
              (result) => setAgentState(result.state),
              (error: Error) => setNotice(error.message),
            )
          }
        />
      )}
      {agentState === 'offline' && <SM style={{ color: '#68737d' }}>{t('topbar.offline_hint')}</SM>}
      {agentState !== null && devices && <DevicePicker api={api} value={devices} onSaved={setDevices} isDisabled={!isOwner || agentState === 'offered' || agentState === 'on_call'} />}
      {/* NOTE: the softphone signs in as the agent's own user (centralino-agent-<id>), so an admin-configured app device of another name does not ring here. */}
      {softphoneRings && <SoftphonePanel api={api} />}
      {offer ? (
        <Alert type="info" role="alert" aria-live="assertive">
          <Title>{t('topbar.incoming')}</Title>
          <div>{offer.caller_withheld ? t('common.withheld') : (offer.from ?? t('common.unknown_caller'))}</div>
          {offer.ticket_id !== null && <div>{t('topbar.ticket', { id: offer.ticket_id })}</div>}
          {softphoneRings ? (
            <SM>{t('topbar.answer_in_softphone')}</SM>
          ) : (
          <div style={{ display: 'flex', gap: 8, marginTop: 8 }}>
            <Button size="small" isPrimary onClick={() => respond('accept')}>
              {t('topbar.accept')}
            </Button>
            <Button size="small" isDanger onClick={() => respond('decline')}>
              {t('topbar.decline')}
            </Button>
          </div>
          )}
        </Alert>
      ) : dialOutCall ? (
        <Alert type="info" role="status">
          {t('topbar.dialing', { number: dialOutCall.number })}
        </Alert>
      ) : (
        <SM style={{ color: '#68737d' }}>{t('topbar.idle')}</SM>
      )}
      {notice && (
        <Alert type="info" role="status">
          {notice}
        </Alert>
      )}
    </div>
  )
}
