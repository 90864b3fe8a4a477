import { useEffect, useRef, useState } from 'react'
import { MD, SM } from '@zendeskgarden/react-typography'
import type { AppCall, BridgeApi } from '../bridge-api'
import { CallTable } from '../components/CallTable'
import { ClickToCall } from '../components/ClickToCall'
import { LiveCall } from '../components/LiveCall'
import { Empty, ErrorState, Loading } from '../components/States'
import { useAsync } from '../hooks'
import { useI18n } from '../i18n'
import { useClient, type ZafClient } from '../zaf'

/** The user's open ticket that the bridge logs an outbound call on. */
export interface OpenTicket {
  id: number
  subject: string
  status: string
}

interface UserSidebarData {
  userId: number
  name: string
  numbers: string[]
  openTicket: OpenTicket | null
  calls: AppCall[]
}

/**
 * Renders the user sidebar: the user's phone numbers with click-to-call, the ticket the
 * call will be logged on, and the user's recent calls with recordings.
 */
export function UserSidebar({ api }: { api: BridgeApi }) {
  const client = useClient()
  const { t } = useI18n()
  const [state, reload] = useAsync(() => loadUserSidebar(client, api), 'user_sidebar')
  // Id of the call placed from this sidebar, until the bridge reports it ended.
  const [dialedCallId, setDialedCallId] = useState<string | null>(null)
  // Ids of the calls on screen and of the dialled call, read by the event handler without reopening the stream.
  const shownCallIds = useRef(new Set<string>())
  shownCallIds.current = new Set([...(state.status === 'ready' ? state.value.calls.map((call) => call.id) : []), ...(dialedCallId ? [dialedCallId] : [])])

  useEffect(() => {
    const controller = new AbortController()
    // Without a ticket id the stream carries the agent's own calls (every call for a lead), so only calls shown here count.
    api.listen('/app/api/events', (type: string, data: { call_id?: string; status?: string }) => {
      if (type !== 'call_updated' || data.call_id === undefined || !shownCallIds.current.has(data.call_id)) return
      if (data.status !== 'in_progress') setDialedCallId((current) => (current === data.call_id ? null : current))
      reload()
    }, controller.signal)
    return () => controller.abort()
  }, [api, reload])

  if (state.status === 'loading') return <Loading />
  if (state.status === 'error') return <ErrorState message={state.message} onRetry={reload} />
  const { userId, name, numbers, openTicket, calls } = state.value
  const live = findUserLiveCall(calls, dialedCallId)
  const onDialed = (callId: string) => {
    setDialedCallId(callId)
    reload()
  }
  return (
    <div style={{ display: 'grid', gap: 12 }}>
      <ClickToCall
        name={name}
        numbers={numbers}
        hasLiveCall={live !== undefined}
        placeCall={(number) => placeUserCall(api, userId, number, openTicket)}
        onDialed={onDialed}
        noPhoneText={t('user.no_phone')}
      />
      <SM role="note">{openTicket ? t('user.logs_on_ticket', { id: openTicket.id, subject: openTicket.subject }) : t('user.logs_on_new_ticket')}</SM>
      {live && <LiveCall key={live.id} api={api} callId={live.id} startedAt={live.started_at} disabledReason={null} onCallChanged={reload} />}
      <section>
        <MD isBold tag="h2">{t('user.calls_title')}</MD>
        {calls.length === 0 ? <Empty text={t('user.empty')} /> : <CallTable calls={calls} api={api} isCompact />}
      </section>
    </div>
  )
}

async function loadUserSidebar(client: ZafClient, api: BridgeApi): Promise<UserSidebarData> {
  const context = await client.get('user.id')
  const userId = Number(context['user.id'])
  const [profile, identities, fromBridge] = await Promise.all([
    client.request({ url: `/api/v2/users/${userId}.json` }),
    // The identities API rejects some OAuth scopes; the profile's own phone still gets a Call button then.
    client.request({ url: `/api/v2/users/${userId}/identities.json` }).catch(() => ({ identities: [] })),
    api.json<{ open_ticket: OpenTicket | null; calls: AppCall[] }>(`/app/api/users/${userId}/calls`),
  ])
  return {
    userId,
    name: profile.user.name,
    numbers: phoneNumbersOf(profile.user.phone ?? null, identities.identities ?? []),
    openTicket: fromBridge.open_ticket,
    calls: fromBridge.calls,
  }
}

/** Lists the profile phone, then each phone_number identity, without repeats. */
export function phoneNumbersOf(phone: string | null, identities: Array<{ type: string; value: string }>): string[] {
  const numbers = [phone, ...identities.filter((identity) => identity.type === 'phone_number').map((identity) => identity.value)]
  return [...new Set(numbers.filter((number): number is string => typeof number === 'string' && number.trim() !== ''))]
}

/** Places a call to the user, logged on their open ticket when there is one, and returns the call id. */
async function placeUserCall(api: BridgeApi, userId: number, number: string, openTicket: OpenTicket | null): Promise<string> {
  const body = openTicket ? { number, ticket_id: openTicket.id } : { number }
  const started = await api.json<{ call_id: string }>(`/app/api/users/${userId}/calls`, { method: 'POST', body })
  return started.call_id
}

/**
 * Picks the call placed from this sidebar while it is in progress. A dialled call missing
 * from the list still counts as live, because the list may not have reloaded yet.
 */
function findUserLiveCall(calls: AppCall[], dialedCallId: string | null): Pick<AppCall, 'id' | 'started_at'> | undefined {
  if (dialedCallId === null) return undefined
  const dialed = calls.find((call) => call.id === dialedCallId)
  if (dialed === undefined) return { id: dialedCallId, started_at: null }
  return dialed.status === 'in_progress' ? dialed : undefined
}
