import { useState } from 'react'
import { Button } from '@zendeskgarden/react-buttons'
import { Alert, Title } from '@zendeskgarden/react-notifications'
import { Body, Cell, Head, HeaderCell, HeaderRow, Row, Table } from '@zendeskgarden/react-tables'
import { Paragraph } from '@zendeskgarden/react-typography'
import type { AppCall, BridgeApi, MonitorMode } from '../bridge-api'
import { formatClock } from '../format'
import { useNow } from '../hooks'
import { useI18n } from '../i18n'
import { Empty, ErrorState } from './States'

const MODES: MonitorMode[] = ['listen', 'whisper', 'barge', 'take_over']

interface Session {
  id: string
  callId: string
  mode: MonitorMode
}

/**
 * Lists the calls in progress with Listen, Whisper, Barge and Take over, then the session
 * the lead started with its switch between listen and barge. Take over needs a confirmation
 * because it drops the agent. Errors show the bridge's message.
 */
export function LiveMonitor({ api, calls }: { api: BridgeApi; calls: AppCall[] }) {
  const { t } = useI18n()
  const now = useNow()
  const [session, setSession] = useState<Session | null>(null)
  const [confirmCall, setConfirmCall] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)

  const start = (callId: string, mode: MonitorMode) => {
    setBusy(true)
    setError(null)
    setConfirmCall(null)
    api
      .json<{ session_id: string }>(`/app/api/calls/${encodeURIComponent(callId)}/monitor`, { method: 'POST', body: { mode } })
      .then((started) => setSession({ id: started.session_id, callId, mode }), (failure: Error) => setError(failure.message))
      .finally(() => setBusy(false))
  }
  const switchTo = (mode: MonitorMode) => {
    if (!session) return
    setBusy(true)
    setError(null)
    api
      .put(`/app/api/monitoring/${encodeURIComponent(session.id)}`, { mode })
      .then(() => setSession({ ...session, mode }), (failure: Error) => setError(failure.message))
      .finally(() => setBusy(false))
  }
  const callLabel = (call: AppCall) => (call.caller_withheld ? t('common.withheld') : (call.direction === 'outbound' ? call.to : call.from) ?? t('common.unknown_caller'))

  return (
    <div style={{ display: 'grid', gap: 12 }}>
      {session && (
        <Alert type="info" role="region" aria-label={t('monitor.session_title')}>
          <Title>{t('monitor.session_title')}</Title>
          <Paragraph>{t('monitor.session_text', { call: session.callId, mode: t(`monitor.mode.${session.mode}`) })}</Paragraph>
          <div style={{ display: 'flex', gap: 8, marginTop: 8, flexWrap: 'wrap' }}>
            {session.mode !== 'barge' && (
              <Button size="small" disabled={busy} onClick={() => switchTo('barge')}>
                {t('monitor.switch_barge')}
              </Button>
            )}
            {session.mode !== 'listen' && (
              <Button size="small" disabled={busy} onClick={() => switchTo('listen')}>
                {t('monitor.switch_listen')}
              </Button>
            )}
            <Button size="small" isBasic onClick={() => setSession(null)}>
              {t('monitor.close')}
            </Button>
          </div>
        </Alert>
      )}
      {error && <ErrorState message={error} />}
      {confirmCall && (
        <Alert type="warning" role="alertdialog" aria-label={t('monitor.confirm_title')}>
          <Title>{t('monitor.confirm_title')}</Title>
          <Paragraph>{t('monitor.confirm_text')}</Paragraph>
          <div style={{ display: 'flex', gap: 8, marginTop: 8 }}>
            <Button size="small" isDanger isPrimary disabled={busy} onClick={() => start(confirmCall, 'take_over')}>
              {t('monitor.confirm_take_over')}
            </Button>
            <Button size="small" onClick={() => setConfirmCall(null)}>
              {t('monitor.cancel')}
            </Button>
          </div>
        </Alert>
      )}
      {calls.length === 0 ? (
        <Empty text={t('monitor.empty')} />
      ) : (
        <div style={{ overflowX: 'auto' }}>
          <Table>
            <Head>
              <HeaderRow>
                <HeaderCell>{t('monitor.call')}</HeaderCell>
                <HeaderCell>{t('calls.agent')}</HeaderCell>
                <HeaderCell>{t('calls.duration')}</HeaderCell>
                <HeaderCell>{t('monitor.actions')}</HeaderCell>
              </HeaderRow>
            </Head>
            <Body>
              {calls.map((call) => (
                <Row key={call.id}>
                  <Cell>{callLabel(call)}</Cell>
                  <Cell>{call.agent?.name ?? '–'}</Cell>
                  <Cell>{call.started_at ? formatClock(Math.max(0, Math.floor((now - new Date(call.started_at).getTime()) / 1000))) : '–'}</Cell>
                  <Cell>
                    <div role="group" aria-label={t('monitor.actions_for', { call: callLabel(call) })} style={{ display: 'flex', gap: 4, flexWrap: 'wrap' }}>
                      {MODES.map((mode) => (
                        <Button
                          key={mode}
                          size="small"
                          isDanger={mode === 'take_over'}
                          disabled={busy}
                          onClick={() => (mode === 'take_over' ? setConfirmCall(call.id) : start(call.id, mode))}
                        >
                          {t(`monitor.mode.${mode}`)}
                        </Button>
                      ))}
                    </div>
                  </Cell>
                </Row>
              ))}
            </Body>
          </Table>
        </div>
      )}
    </div>
  )
}
