import { useState } from 'react'
import { Anchor, Button } from '@zendeskgarden/react-buttons'
import { Body, Cell, Head, HeaderCell, HeaderRow, Row, Table } from '@zendeskgarden/react-tables'
import { Tag } from '@zendeskgarden/react-tags'
import type { AppCall, BridgeApi } from '../bridge-api'
import { formatDateTime, formatDuration } from '../format'
import { useI18n, type Translate } from '../i18n'

const OUTCOME_HUES: Record<string, string> = { answered: 'green', missed: 'red', voicemail: 'yellow', abandoned: 'grey' }

export interface ICallTableProps {
  calls: AppCall[]
  api: BridgeApi
  /** Opens a ticket in Zendesk; the column is left out when unset. */
  onOpenTicket?: (ticketId: number) => void
  isCompact?: boolean
}

/** Calls with time, agent, duration, outcome and a player for each recording. */
export function CallTable({ calls, api, onOpenTicket, isCompact = false }: ICallTableProps) {
  const { t, locale, timeZone } = useI18n()
  if (isCompact) return <CallList calls={calls} api={api} />
  return (
    <div style={{ overflowX: 'auto' }}>
    <Table size={isCompact ? 'small' : 'medium'}>
      <Head>
        <HeaderRow>
          <HeaderCell>{t('calls.time')}</HeaderCell>
          {!isCompact && <HeaderCell>{t('calls.direction')}</HeaderCell>}
          {!isCompact && <HeaderCell>{t('calls.agent')}</HeaderCell>}
          <HeaderCell>{t('calls.duration')}</HeaderCell>
          <HeaderCell>{t('calls.outcome')}</HeaderCell>
          {onOpenTicket && <HeaderCell>{t('calls.ticket')}</HeaderCell>}
          <HeaderCell>{t('calls.recording')}</HeaderCell>
        </HeaderRow>
      </Head>
      <Body>
        {calls.map((call) => {
          const outcome = call.outcome ?? (call.status === 'in_progress' ? 'in_progress' : null)
          return (
            <Row key={call.id}>
              <Cell>
                {callTime(call, t, locale, timeZone)}
                <div style={{ color: '#68737d' }}>
                  {isCompact ? `${t('calls.agent')}: ${call.agent?.name ?? '–'}` : call.caller_withheld ? t('common.withheld') : call.from}
                </div>
              </Cell>
              {!isCompact && <Cell>{t(`direction.${call.direction === 'outbound' ? 'outbound' : 'inbound'}`)}</Cell>}
              {!isCompact && <Cell>{call.agent?.name ?? '–'}</Cell>}
              <Cell>{formatDuration(call.talk_seconds ?? call.duration_seconds)}</Cell>
              <Cell>{outcome ? <Tag hue={OUTCOME_HUES[outcome] ?? 'blue'} size="small">{t(`outcome.${outcome}`)}</Tag> : '–'}</Cell>
              {onOpenTicket && (
                <Cell>
                  {call.ticket_id !== null ? (
                    <Anchor onClick={() => onOpenTicket(call.ticket_id as number)} aria-label={t('calls.open_ticket', { id: call.ticket_id })}>
                      #{call.ticket_id}
                    </Anchor>
                  ) : (
                    '–'
                  )}
                </Cell>
              )}
              <Cell>
                <Recordings call={call} api={api} />
              </Cell>
            </Row>
          )
        })}
      </Body>
    </Table>
    </div>
  )
}

/** Renders the narrow form for the ticket sidebar: one block per call, the player on its own line. */
function CallList({ calls, api }: { calls: AppCall[]; api: BridgeApi }) {
  const { t, locale, timeZone } = useI18n()
  return (
    <ul style={{ listStyle: 'none', margin: 0, padding: 0 }}>
      {calls.map((call) => {
        const outcome = call.outcome ?? (call.status === 'in_progress' ? 'in_progress' : null)
        return (
          <li key={call.id} style={{ borderBottom: '1px solid #e9ebed', padding: '8px 0', display: 'grid', gap: 4 }}>
            <div style={{ display: 'flex', justifyContent: 'space-between', gap: 8 }}>
              <span>{callTime(call, t, locale, timeZone)}</span>
              {outcome && <Tag hue={OUTCOME_HUES[outcome] ?? 'blue'} size="small">{t(`outcome.${outcome}`)}</Tag>}
            </div>
            <div style={{ color: '#68737d' }}>
              {t('calls.agent')}: {call.agent?.name ?? '–'} · {t('calls.duration')}: {formatDuration(call.talk_seconds ?? call.duration_seconds)}
            </div>
            <div>
              <Recordings call={call} api={api} isLabelled />
            </div>
          </li>
        )
      })}
    </ul>
  )
}

/** Returns the call's start time, or "just now" for a live call that the bridge has not given a start yet. */
function callTime(call: AppCall, t: Translate, locale: string, timeZone: string): string {
  if (call.started_at === null && call.status === 'in_progress') return t('calls.just_now')
  return formatDateTime(call.started_at, locale, timeZone)
}

/** Renders a call's recordings. `isLabelled` names the "none" text where no column header does. */
function Recordings({ call, api, isLabelled = false }: { call: AppCall; api: BridgeApi; isLabelled?: boolean }) {
  const { t } = useI18n()
  if (call.recordings.length === 0) return <>{isLabelled ? t('calls.no_recording_labelled') : t('calls.no_recording')}</>
  if (call.can_play === false) return <>{t('calls.not_allowed')}</>
  return (
    <>
      {call.recordings.map((recording) =>
        recording.state === 'pending' && !call.ended_at ? (
          <span key={recording.id}>{t('calls.recording_pending')}</span>
        ) : (
          <RecordingPlayer key={recording.id} recordingId={recording.id} api={api} />
        ),
      )}
    </>
  )
}

/** Asks the bridge for a short-lived link when pressed, then plays it; every link is audited by the bridge. */
export function RecordingPlayer({ recordingId, api }: { recordingId: string; api: BridgeApi }) {
  const { t } = useI18n()
  const [source, setSource] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)
  if (source) return <audio controls autoPlay src={source} style={{ height: 32, width: '100%', maxWidth: 220, minWidth: 120 }} aria-label={t('calls.play')} />
  return (
    <>
      <Button
        size="small"
        aria-label={t('calls.play')}
        onClick={() => {
          setError(null)
          api.json<{ url: string }>(`/app/api/recordings/${encodeURIComponent(recordingId)}/link`, { method: 'POST' }).then(
            (link) => setSource(link.url),
            (failure: Error) => setError(failure.message),
          )
        }}
      >
        ▶ {t('calls.play_short')}
      </Button>
      {error && <div role="alert" style={{ color: '#cc3340' }}>{error}</div>}
    </>
  )
}
