import { useEffect, useState } from 'react'
import { Button } from '@zendeskgarden/react-buttons'
import { Field, Label, Select, Textarea } from '@zendeskgarden/react-forms'
import { Alert } from '@zendeskgarden/react-notifications'
import { LG, MD, SM } from '@zendeskgarden/react-typography'
import type { AppCall, BridgeApi } from '../bridge-api'
import { CallTable } from '../components/CallTable'
import { Empty, ErrorState, Loading } from '../components/States'
import { formatDuration } from '../format'
import { useAsync } from '../hooks'
import { useI18n } from '../i18n'
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
}

const DISPOSITIONS = ['resolved', 'follow_up', 'callback', 'wrong_number'] as const

/** Renders the ticket sidebar: the requester, their calls with recordings, click-to-call and the call wrap-up. */
export function TicketSidebar({ api }: { api: BridgeApi }) {
  const client = useClient()
  const { t } = useI18n()
  const [state, reload] = useAsync(() => loadSidebar(client, api), 'sidebar')
  const ticketId = state.status === 'ready' ? state.value.ticketId : undefined

  useEffect(() => {
    if (ticketId === undefined) return
    const controller = new AbortController()
    api.listen(`/app/api/events?ticket_id=${ticketId}`, (type) => type === 'call_updated' && reload(), controller.signal)
    return () => controller.abort()
  }, [api, ticketId, reload])

  if (state.status === 'loading') return <Loading />
  if (state.status === 'error') return <ErrorState message={state.message} onRetry={reload} />
  const { requester, calls, matches } = state.value
  const live = calls.find((call) => call.status === 'in_progress' && call.ticket_id === ticketId)
  const last = calls.find((call) => call.status === 'completed' && call.ticket_id === ticketId)
  return (
    <div style={{ display: 'grid', gap: 12 }}>
      <Contact requester={requester} api={api} ticketId={state.value.ticketId} />
      {matches.length > 1 && <RequesterPicker matches={matches} current={requester.id} onPicked={reload} />}
      {live && <LiveCall call={live} />}
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
  const [calls, user] = await Promise.all([
    api.json<{ calls: AppCall[] }>(`/app/api/tickets/${ticketId}/calls`),
    client.request({ url: `/api/v2/users/${requesterId}.json` }),
  ])
  const requester: Requester = { id: requesterId, name: user.user.name, phone: user.user.phone ?? null }
  let matches: Requester[] = []
  if (requester.phone) {
    const found = await client.request({ url: `/api/v2/users/search.json?query=${encodeURIComponent(`phone:${requester.phone}`)}` })
    matches = (found.users ?? []).map((match: Requester) => ({ id: match.id, name: match.name, phone: match.phone }))
  }
  return { ticketId, requester, calls: calls.calls, matches }
}

function Contact({ requester, api, ticketId }: { requester: Requester; api: BridgeApi; ticketId: number }) {
  const { t } = useI18n()
  const [notice, setNotice] = useState<string | null>(null)
  return (
    <section>
      <SM style={{ color: '#68737d' }}>{t('sidebar.contact')}</SM>
      <LG isBold>{requester.name}</LG>
      {requester.phone ? (
        <Button
          size="small"
          isPrimary
          style={{ marginTop: 4 }}
          onClick={() =>
            api.json('/app/api/calls/outbound', { method: 'POST', body: { number: requester.phone, ticket_id: ticketId } }).catch((error: Error) => setNotice(error.message))
          }
        >
          {t('sidebar.call_requester', { number: requester.phone })}
        </Button>
      ) : (
        <SM>{t('sidebar.no_phone')}</SM>
      )}
      {notice && (
        <Alert type="info" style={{ marginTop: 8 }} role="status">
          {notice}
        </Alert>
      )}
    </section>
  )
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

function LiveCall({ call }: { call: AppCall }) {
  const { t } = useI18n()
  const [now, setNow] = useState(Date.now())
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000)
    return () => clearInterval(timer)
  }, [])
  const elapsed = call.started_at ? Math.max(0, Math.floor((now - new Date(call.started_at).getTime()) / 1000)) : null
  return (
    <section aria-live="polite">
      <MD isBold tag="h2">
        {t('sidebar.live_title')} · <span aria-label="timer">{formatDuration(elapsed)}</span>
      </MD>
      <div style={{ display: 'flex', gap: 4, flexWrap: 'wrap', margin: '4px 0' }}>
        {(['mute', 'hold', 'transfer', 'hang_up'] as const).map((control) => (
          <Button key={control} size="small" disabled title={t('sidebar.controls_unavailable')}>
            {t(`sidebar.${control}`)}
          </Button>
        ))}
      </div>
      <SM style={{ color: '#68737d' }}>{t('sidebar.controls_unavailable')}</SM>
    </section>
  )
}

function WrapUp({ ticketId }: { ticketId: number }) {
  const client = useClient()
  const { t } = useI18n()
  const [disposition, setDisposition] = useState<(typeof DISPOSITIONS)[number]>('resolved')
  const [notes, setNotes] = useState('')
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null)
  const save = () => {
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
        <Select value={disposition} onChange={(event) => setDisposition(event.target.value as (typeof DISPOSITIONS)[number])}>
          {DISPOSITIONS.map((value) => (
            <option key={value} value={value}>
              {t(`sidebar.disposition_${value}`)}
            </option>
          ))}
        </Select>
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
