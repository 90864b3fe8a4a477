import { useEffect, useState } from 'react'
import { Button } from '@zendeskgarden/react-buttons'
import { Field, Label, Message, Select, Textarea } from '@zendeskgarden/react-forms'
import { Alert } from '@zendeskgarden/react-notifications'
import { MD } from '@zendeskgarden/react-typography'
import type { AppCall, BridgeApi, Me } from '../bridge-api'
import { CallTable } from '../components/CallTable'
import { ClickToCall } from '../components/ClickToCall'
import { LiveCall } from '../components/LiveCall'
import { Empty, ErrorState, Loading } from '../components/States'
import { useAsync } from '../hooks'
import { useI18n, type Translate } from '../i18n'
import { useClient } from '../zaf'

interface Requester {
  id: number
  name: string
  phone: string | null
}

interface SidebarData {
  ticketId: number
  requester: Requester
  calls: AppCall[]
  matches: Requester[]
  /** The signed-in user from `/app/api/me`, or null when the bridge did not return it. */
  me: Me | null
}

/** The call shown as live: its id, start and the Zendesk user id of its agent. */
interface LiveCallInfo {
  id: string
  startedAt: string | null
  agentZendeskUserId: number | null
}

const DISPOSITIONS = ['resolved', 'follow_up', 'callback', 'wrong_number'] as const

/** Renders the ticket sidebar: the requester, their calls with recordings, click-to-call and the call wrap-up. */
export function TicketSidebar({ api }: { api: BridgeApi }) {
  const client = useClient()
  const { t } = useI18n()
  const [state, reload] = useAsync(() => loadSidebar(client, api), 'sidebar')
  // Id of the call placed with click-to-call from this sidebar, until the bridge reports it ended.
  const [dialedCallId, setDialedCallId] = useState<string | null>(null)
  const ticketId = state.status === 'ready' ? state.value.ticketId : undefined

  useEffect(() => {
    if (ticketId === undefined) return
    const controller = new AbortController()
    const onEvent = (type: string, data: { call_id?: string; status?: string }) => {
      if (type !== 'call_updated') return
      if (data.status !== 'in_progress') setDialedCallId((current) => (current === data.call_id ? null : current))
      reload()
    }
    api.listen(`/app/api/events?ticket_id=${ticketId}`, onEvent, controller.signal)
    return () => controller.abort()
  }, [api, ticketId, reload])

  if (state.status === 'loading') return <Loading />
  if (state.status === 'error') return <ErrorState message={state.message} onRetry={reload} />
  const { requester, calls, matches, me, ticketId: sidebarTicketId } = state.value
  const live = findLiveCall(calls, state.value.ticketId, me, dialedCallId)
  const last = calls.find((call) => call.status === 'completed' && call.ticket_id === ticketId)
  const onDialed = (callId: string) => {
    setDialedCallId(callId)
    reload()
  }
  return (
    <div style={{ display: 'grid', gap: 12 }}>
      <ClickToCall
        name={requester.name}
        numbers={requester.phone ? [requester.phone] : []}
        hasLiveCall={live !== undefined}
        placeCall={(number) => placeTicketCall(api, number, sidebarTicketId)}
        onDialed={onDialed}
      />
      {matches.length > 1 && <RequesterPicker matches={matches} current={requester.id} onPicked={reload} />}
      {live && <LiveCall key={live.id} api={api} callId={live.id} startedAt={live.startedAt} disabledReason={controlsDisabledReason(live, me, t)} onCallChanged={reload} />}
      <section>
        <MD isBold tag="h2">{t('sidebar.calls_title')}</MD>
        {calls.length === 0 ? <Empty text={t('sidebar.empty')} /> : <CallTable calls={calls} api={api} isCompact />}
      </section>
      {last && !live && <WrapUp ticketId={state.value.ticketId} />}
    </div>
  )
}

async function loadSidebar(client: ReturnType<typeof useClient>, api: BridgeApi): Promise<SidebarData> {
  const ticket = await client.get(['ticket.id', 'ticket.requester'])
  const ticketId = Number(ticket['ticket.id'])
  const requesterId = Number(ticket['ticket.requester']?.id)
  // Without the user the sidebar still lists calls, and the live call shows why its controls are off.
  const [calls, user, me] = await Promise.all([
    api.json<{ calls: AppCall[] }>(`/app/api/tickets/${ticketId}/calls`),
    client.request({ url: `/api/v2/users/${requesterId}.json` }),
    api.json<Me>('/app/api/me').catch(() => null),
  ])
  const requester: Requester = { id: requesterId, name: user.user.name, phone: user.user.phone ?? null }
  let matches: Requester[] = []
  if (requester.phone) {
    const found = await client.request({ url: `/api/v2/users/search.json?query=${encodeURIComponent(`phone:${requester.phone}`)}` })
    matches = (found.users ?? []).map((match: Requester) => ({ id: match.id, name: match.name, phone: match.phone }))
  }
  return { ticketId, requester, calls: calls.calls, matches, me }
}

/**
 * Picks the call to show as live on this ticket: the call just placed from the sidebar,
 * else an in-progress call of this ticket, the user's own first. A dialled call missing
 * from the list still counts as live, because the list contains only the newest 50 calls and
 * sorts calls without a start time last.
 */
export function findLiveCall(calls: AppCall[], ticketId: number, me: Me | null, dialedCallId: string | null): LiveCallInfo | undefined {
  const toInfo = (call: AppCall): LiveCallInfo => ({ id: call.id, startedAt: call.started_at, agentZendeskUserId: call.agent?.zendesk_user_id ?? null })
  const dialed = dialedCallId === null ? undefined : calls.find((call) => call.id === dialedCallId)
  if (dialedCallId !== null && dialed === undefined) return { id: dialedCallId, startedAt: null, agentZendeskUserId: me?.user.zendesk_user_id ?? null }
  if (dialed?.status === 'in_progress') return toInfo(dialed)
  const live = calls.filter((call) => call.status === 'in_progress' && call.ticket_id === ticketId)
  const own = live.find((call) => me !== null && call.agent?.zendesk_user_id === me.user.zendesk_user_id)
  const liveCall = own ?? live[0]
  return liveCall && toInfo(liveCall)
}

/** Places a click-to-call, which the bridge logs on this ticket, and returns the call id. */
async function placeTicketCall(api: BridgeApi, number: string, ticketId: number): Promise<string> {
  const started = await api.json<{ call_id: string }>('/app/api/calls/outbound', { method: 'POST', body: { number, ticket_id: ticketId } })
  return started.call_id
}

/** Returns the reason the user may not control the live call, or null when they are its agent. */
function controlsDisabledReason(live: LiveCallInfo, me: Me | null, t: Translate): string | null {
  if (me === null) return t('sidebar.controls_no_profile')
  if (!me.capabilities.call_control) return t('sidebar.controls_not_agent')
  if (live.agentZendeskUserId !== me.user.zendesk_user_id) return t('sidebar.controls_not_yours')
  return null
}

function RequesterPicker({ matches, current, onPicked }: { matches: Requester[]; current: number; onPicked: () => void }) {
  const client = useClient()
  const { t } = useI18n()
  return (
    <section aria-label={t('sidebar.matches_title', { count: matches.length })}>
      <MD isBold tag="h2">{t('sidebar.matches_title', { count: matches.length })}</MD>
      <ul style={{ margin: 0, paddingLeft: 16 }}>
        {matches.map((match) => (
          <li key={match.id} style={{ margin: '4px 0' }}>
            {match.name}{' '}
            {match.id !== current && (
              <Button size="small" isBasic onClick={() => client.set('ticket.requester', { id: match.id }).then(onPicked, onPicked)}>
                {t('sidebar.pick_requester')}
              </Button>
            )}
          </li>
        ))}
      </ul>
    </section>
  )
}

function WrapUp({ ticketId }: { ticketId: number }) {
  const client = useClient()
  const { t } = useI18n()
  const [disposition, setDisposition] = useState<(typeof DISPOSITIONS)[number] | ''>('')
  const [notes, setNotes] = useState('')
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null)
  const [isMissing, setMissing] = useState(false)
  const save = () => {
    if (disposition === '') {
      setMissing(true)
      return
    }
    const body = `${t('sidebar.note_body', { disposition: t(`sidebar.disposition_${disposition}`) })}${notes.trim() ? `\n\n${notes.trim()}` : ''}`
    client
      .request({
        url: `/api/v2/tickets/${ticketId}.json`,
        type: 'PUT',
        contentType: 'application/json',
        data: JSON.stringify({ ticket: { comment: { body, public: false } } }),
      })
      .then(
        () => setResult({ ok: true, text: t('sidebar.note_saved') }),
        (error: { responseText?: string; message?: string }) => setResult({ ok: false, text: error.message ?? error.responseText ?? 'error' }),
      )
  }
  return (
    <section>
      <MD isBold tag="h2">{t('sidebar.wrap_title')}</MD>
      <Field>
        <Label>{t('sidebar.disposition')}</Label>
        <Select
          value={disposition}
          validation={isMissing ? 'error' : undefined}
          aria-invalid={isMissing ? true : undefined}
          onChange={(event) => {
            setDisposition(event.target.value as (typeof DISPOSITIONS)[number])
            setMissing(false)
          }}
        >
          <option value="" disabled>
            {t('sidebar.disposition_choose')}
          </option>
          {DISPOSITIONS.map((value) => (
            <option key={value} value={value}>
              {t(`sidebar.disposition_${value}`)}
            </option>
          ))}
        </Select>
        {isMissing && <Message validation="error" role="alert">{t('sidebar.disposition_required')}</Message>}
      </Field>
      <Field style={{ marginTop: 8 }}>
        <Label>{t('sidebar.notes')}</Label>
        <Textarea value={notes} onChange={(event) => setNotes(event.target.value)} minRows={2} maxRows={6} />
      </Field>
      <Button size="small" style={{ marginTop: 8 }} onClick={save}>
        {t('sidebar.save_note')}
      </Button>
      {result && (
        <Alert type={result.ok ? 'success' : 'error'} role="status" style={{ marginTop: 8 }}>
          {result.text}
        </Alert>
      )}
    </section>
  )
}
