import { useEffect, useState } from 'react'
import { Body, Cell, Head, HeaderCell, HeaderRow, Row, Table } from '@zendeskgarden/react-tables'
import { Tag } from '@zendeskgarden/react-tags'
import { LG, SM } from '@zendeskgarden/react-typography'
import type { AppCall, BridgeApi, Wallboard as WallboardData } from '../bridge-api'
import { formatClock } from '../format'
import { useAsync, useLiveReload, useNow } from '../hooks'
import { useI18n } from '../i18n'
import { LiveMonitor } from './LiveMonitor'
import { Empty, ErrorState, Loading } from './States'

const SERVICE_LEVEL_SECONDS = 20
const STATE_ORDER = ['available', 'offered', 'on_call', 'wrap_up', 'away', 'offline']
const STATE_HUES: Record<string, string> = { available: 'green', offered: 'yellow', on_call: 'blue', wrap_up: 'kale', away: 'grey', offline: 'grey' }
/** The call log's largest page; the call log has no status filter, so live calls are picked from it. */
const LIVE_CALL_PAGE = 100

/**
 * Renders the team leads' wallboard: per queue the waiting callers, the longest wait, calls
 * in progress, today's figures and service level, then agents grouped by state and the live
 * calls to monitor. Timers tick locally between reloads.
 */
export function Wallboard({ api }: { api: BridgeApi }) {
  const { t, timeZone } = useI18n()
  const query = new URLSearchParams({ time_zone: timeZone, service_level_seconds: String(SERVICE_LEVEL_SECONDS) }).toString()
  const [board, reloadBoard] = useAsync(() => api.json<WallboardData>(`/app/api/wallboard?${query}`), query)
  const [log, reloadLog] = useAsync(() => api.json<{ calls: AppCall[] }>(`/app/api/calls?status=in_progress&page=1&per_page=${LIVE_CALL_PAGE}`), 'live-calls')
  const [receivedAt, setReceivedAt] = useState(() => Date.now())
  const now = useNow()

  useEffect(() => {
    if (board.status === 'ready') setReceivedAt(Date.now())
  }, [board])
  useLiveReload(api, () => {
    reloadBoard()
    reloadLog()
  })

  if (board.status === 'loading') return <Loading />
  if (board.status === 'error') return <ErrorState message={board.message} onRetry={reloadBoard} />

  const elapsed = Math.max(0, Math.floor((now - receivedAt) / 1000))
  const { queues, agents } = board.value
  const liveCalls = log.status === 'ready' ? log.value.calls.filter((call) => call.status === 'in_progress' && call.agent !== null) : []
  const states = [...STATE_ORDER, ...Object.keys(board.value.agents_by_state).filter((state) => !STATE_ORDER.includes(state))]

  return (
    <div style={{ display: 'grid', gap: 16 }}>
      <section aria-labelledby="wallboard-queues">
        <LG tag="h2" id="wallboard-queues">{t('wallboard.queues_title')}</LG>
        {queues.length === 0 ? (
          <Empty text={t('wallboard.no_queues')} />
        ) : (
          <div style={{ overflowX: 'auto' }}>
            <Table>
              <Head>
                <HeaderRow>
                  <HeaderCell>{t('wallboard.queue')}</HeaderCell>
                  <HeaderCell>{t('wallboard.waiting')}</HeaderCell>
                  <HeaderCell>{t('wallboard.longest_wait')}</HeaderCell>
                  <HeaderCell>{t('wallboard.in_progress')}</HeaderCell>
                  <HeaderCell>{t('wallboard.answered_offered')}</HeaderCell>
                  <HeaderCell>{t('wallboard.service_level', { seconds: SERVICE_LEVEL_SECONDS })}</HeaderCell>
                </HeaderRow>
              </Head>
              <Body>
                {queues.map((queue) => (
                  <Row key={queue.queue_id}>
                    <Cell>{queue.name}</Cell>
                    <Cell>{queue.waiting}</Cell>
                    <Cell>
                      {queue.waiting > 0 ? (
                        <span role="timer" aria-label={t('wallboard.longest_wait_of', { queue: queue.name })}>
                          {formatClock(queue.longest_wait_seconds + elapsed)}
                        </span>
                      ) : (
                        '–'
                      )}
                    </Cell>
                    <Cell>{queue.in_progress}</Cell>
                    <Cell>
                      {queue.answered_today} / {queue.offered_today}
                    </Cell>
                    <Cell>{queue.service_level_percent === null ? '–' : `${queue.service_level_percent}%`}</Cell>
                  </Row>
                ))}
              </Body>
            </Table>
          </div>
        )}
      </section>

      <section aria-labelledby="wallboard-agents">
        <LG tag="h2" id="wallboard-agents">{t('wallboard.agents_title')}</LG>
        {agents.length === 0 ? (
          <Empty text={t('wallboard.no_agents')} />
        ) : (
          <div style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(220px, 1fr))', gap: 12 }}>
            {states
              .filter((state) => agents.some((agent) => agent.state === state))
              .map((state) => (
                <div key={state} style={{ border: '1px solid #d8dcde', borderRadius: 4, padding: 8 }}>
                  <h3 style={{ margin: '0 0 8px', fontSize: 14 }}>
                    <Tag hue={STATE_HUES[state] ?? 'blue'} size="small">
                      {stateLabel(t, state)}
                    </Tag>{' '}
                    {board.value.agents_by_state[state] ?? 0}
                  </h3>
                  <ul style={{ listStyle: 'none', margin: 0, padding: 0, display: 'grid', gap: 4 }}>
                    {agents
                      .filter((agent) => agent.state === state)
                      .map((agent) => (
                        <li key={agent.agent_id} style={{ display: 'flex', justifyContent: 'space-between', gap: 8 }}>
                          <span>{agent.name}</span>
                          <SM tag="span" role="timer" aria-label={t('wallboard.time_in_state', { name: agent.name })} style={{ color: '#68737d' }}>
                            {formatClock(agent.seconds_in_state + elapsed)}
                          </SM>
                        </li>
                      ))}
                  </ul>
                </div>
              ))}
          </div>
        )}
      </section>

      <section aria-labelledby="wallboard-live">
        <LG tag="h2" id="wallboard-live">{t('monitor.title')}</LG>
        {log.status === 'loading' && <Loading />}
        {log.status === 'error' && <ErrorState message={log.message} onRetry={reloadLog} />}
        {log.status === 'ready' && <LiveMonitor api={api} calls={liveCalls} />}
      </section>
    </div>
  )
}

function stateLabel(t: (key: string) => string, state: string): string {
  return STATE_ORDER.includes(state) ? t(`state.${state}`) : state
}
