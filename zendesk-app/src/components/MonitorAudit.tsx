import { Body, Cell, Head, HeaderCell, HeaderRow, Row, Table } from '@zendeskgarden/react-tables'
import type { BridgeApi, MonitorAuditEntry } from '../bridge-api'
import { formatDateTime } from '../format'
import { useAsync } from '../hooks'
import { useI18n } from '../i18n'
import { Empty, ErrorState, Loading } from './States'

const ACTIONS = ['start', 'switch', 'refused_switch', 'end']
const MODES = ['listen', 'whisper', 'barge', 'take_over']

/** Renders the latest 100 monitoring audit entries, newest first, in the user's time zone. */
export function MonitorAudit({ api }: { api: BridgeApi }) {
  const { t, locale, timeZone } = useI18n()
  const [audit, reload] = useAsync(() => api.json<{ entries: MonitorAuditEntry[] }>('/app/api/monitoring/audit?limit=100'), 'audit')

  if (audit.status === 'loading') return <Loading />
  if (audit.status === 'error') return <ErrorState message={audit.message} onRetry={reload} />
  if (audit.value.entries.length === 0) return <Empty text={t('audit.empty')} />
  return (
    <div style={{ overflowX: 'auto' }}>
      <Table>
        <Head>
          <HeaderRow>
            <HeaderCell>{t('audit.time')}</HeaderCell>
            <HeaderCell>{t('audit.lead')}</HeaderCell>
            <HeaderCell>{t('audit.call')}</HeaderCell>
            <HeaderCell>{t('audit.action')}</HeaderCell>
            <HeaderCell>{t('audit.mode')}</HeaderCell>
            <HeaderCell>{t('audit.detail')}</HeaderCell>
          </HeaderRow>
        </Head>
        <Body>
          {audit.value.entries.map((entry, index) => (
            <Row key={`${entry.session_id}-${entry.at}-${index}`}>
              <Cell>{formatDateTime(entry.at, locale, timeZone)}</Cell>
              <Cell>{t('audit.lead_id', { id: entry.lead_zendesk_user_id })}</Cell>
              <Cell>{entry.call_id}</Cell>
              <Cell>{ACTIONS.includes(entry.action) ? t(`audit.actions.${entry.action}`) : entry.action}</Cell>
              <Cell>{MODES.includes(entry.mode) ? t(`monitor.mode.${entry.mode}`) : entry.mode}</Cell>
              <Cell>{entry.detail ?? '–'}</Cell>
            </Row>
          ))}
        </Body>
      </Table>
    </div>
  )
}
