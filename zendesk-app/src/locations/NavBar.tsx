import { lazy, Suspense, useState } from 'react'
import { Button } from '@zendeskgarden/react-buttons'
import { Field, Input, Label, Select } from '@zendeskgarden/react-forms'
import { Alert } from '@zendeskgarden/react-notifications'
import { OffsetPagination } from '@zendeskgarden/react-pagination'
import { XL, SM } from '@zendeskgarden/react-typography'
import type { AppCall, BridgeApi, Me } from '../bridge-api'
import { CallTable } from '../components/CallTable'
import { MonitorAudit } from '../components/MonitorAudit'
import { NavTabs } from '../components/NavTabs'
import { Wallboard } from '../components/Wallboard'
import type { MeWithRole } from '../ivr-api'
import { Empty, ErrorState, Loading } from '../components/States'
import { useAsync } from '../hooks'
import { useI18n } from '../i18n'
import { useClient } from '../zaf'

// React Flow and its styles load only when an admin opens the IVR tab, and recharts only
// when a lead opens Reports, so the sidebars and the top bar do not download them.
const IvrEditor = lazy(() => import('../components/ivr/IvrEditor').then((module) => ({ default: module.IvrEditor })))
const Reports = lazy(() => import('../components/reports/Reports').then((module) => ({ default: module.Reports })))

interface Filters {
  from: string
  to: string
  agent_id: string
  queue_id: string
  direction: string
  outcome: string
}

const EMPTY: Filters = { from: '', to: '', agent_id: '', queue_id: '', direction: '', outcome: '' }
const PER_PAGE = 25

/** Builds the query string; dates are days in the viewer's browser zone, sent as UTC instants. */
export function toQuery(filters: Filters, page: number): string {
  const params = new URLSearchParams({ page: String(page), per_page: String(PER_PAGE) })
  if (filters.from) params.set('from', new Date(`${filters.from}T00:00:00`).toISOString())
  if (filters.to) params.set('to', new Date(new Date(`${filters.to}T00:00:00`).getTime() + 86_400_000).toISOString())
  for (const key of ['agent_id', 'queue_id', 'direction', 'outcome'] as const) if (filters[key]) params.set(key, filters[key])
  return params.toString()
}

type NavTab = 'log' | 'wallboard' | 'audit' | 'reports' | 'ivr'

/** Renders the nav bar: the call log for agents, and tabs for the call log, wallboard, reports and monitoring audit for leads. */
export function NavBar({ api }: { api: BridgeApi }) {
  const { t } = useI18n()
  const [me, reloadMe] = useAsync(() => api.json<Me>('/app/api/me'), 'me')
  const [tab, setTab] = useState<NavTab>('log')

  if (me.status === 'loading') return <Loading />
  if (me.status === 'error') return <ErrorState message={me.message} onRetry={reloadMe} />
  if (!me.value.user.is_lead) {
    return (
      <div style={{ padding: 16 }}>
        <CallLog api={api} isLead={false} />
      </div>
    )
  }

  // Only Zendesk admins may edit IVR flows; the bridge rejects everyone else with 403.
  const isAdmin = (me.value as MeWithRole).user.is_admin === true
  const tabs: Array<{ id: NavTab; label: string }> = [
    { id: 'log', label: t('log.title') },
    { id: 'wallboard', label: t('wallboard.title') },
    { id: 'reports', label: t('reports.title') },
    { id: 'audit', label: t('audit.title') },
    ...(isAdmin ? [{ id: 'ivr' as const, label: t('ivr.title') }] : []),
  ]
  return (
    <div style={{ padding: 16, display: 'grid', gap: 12 }}>
      <NavTabs tabs={tabs} selected={tab} onSelect={(id) => setTab(id as NavTab)} label={t('nav.tabs_label')} />
      <div role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`} tabIndex={0}>
        {tab === 'log' && <CallLog api={api} isLead />}
        {tab === 'wallboard' && (
          <div style={{ display: 'grid', gap: 12 }}>
            <XL tag="h1">{t('wallboard.title')}</XL>
            <Wallboard api={api} />
          </div>
        )}
        {tab === 'reports' && (
          <div style={{ display: 'grid', gap: 12 }}>
            <XL tag="h1">{t('reports.title')}</XL>
            <Suspense fallback={<Loading />}>
              <Reports api={api} />
            </Suspense>
          </div>
        )}
        {tab === 'ivr' && (
          <Suspense fallback={<Loading />}>
            <IvrEditor api={api} />
          </Suspense>
        )}
        {tab === 'audit' && (
          <div style={{ display: 'grid', gap: 12 }}>
            <XL tag="h1">{t('audit.title')}</XL>
            <MonitorAudit api={api} />
          </div>
        )}
      </div>
    </div>
  )
}

/** Renders the call log: filters, pages, recordings, ticket links and a CSV export. Agents see only their own calls. */
function CallLog({ api, isLead }: { api: BridgeApi; isLead: boolean }) {
  const client = useClient()
  const { t } = useI18n()
  const [draft, setDraft] = useState<Filters>(EMPTY)
  const [filters, setFilters] = useState<Filters>(EMPTY)
  const [page, setPage] = useState(1)
  const query = toQuery(filters, page)
  const [log, reload] = useAsync(() => api.json<{ calls: AppCall[]; total: number }>(`/app/api/calls?${query}`), query)
  const [exportError, setExportError] = useState<string | null>(null)

  const exportCsv = () => {
    api.text(`/app/api/calls.csv?${query}`).then((csv) => {
      const link = document.createElement('a')
      link.href = URL.createObjectURL(new Blob([csv], { type: 'text/csv' }))
      link.download = 'centralino-calls.csv'
      link.click()
      URL.revokeObjectURL(link.href)
    }, (error: Error) => setExportError(error.message))
  }
  const field = (key: keyof Filters, label: string, type = 'text') => (
    <Field>
      <Label>{label}</Label>
      <Input type={type} value={draft[key]} onChange={(event) => setDraft({ ...draft, [key]: event.target.value })} />
    </Field>
  )
  const choice = (key: 'direction' | 'outcome', label: string, values: string[]) => (
    <Field>
      <Label>{label}</Label>
      <Select value={draft[key]} onChange={(event) => setDraft({ ...draft, [key]: event.target.value })}>
        <option value="">{t('log.any')}</option>
        {values.map((value) => (
          <option key={value} value={value}>
            {t(`${key}.${value}`)}
          </option>
        ))}
      </Select>
    </Field>
  )

  return (
    <div style={{ display: 'grid', gap: 12 }}>
      <XL tag="h1">{t('log.title')}</XL>
      {!isLead && <Alert type="info">{t('log.leads_only')}</Alert>}
      <form
        style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(150px, 1fr))', gap: 8, alignItems: 'end' }}
        onSubmit={(event) => {
          event.preventDefault()
          setPage(1)
          setFilters(draft)
        }}
      >
        {field('from', t('log.from'), 'date')}
        {field('to', t('log.to'), 'date')}
        {field('agent_id', t('log.agent'))}
        {field('queue_id', t('log.queue'))}
        {choice('direction', t('log.direction'), ['inbound', 'outbound'])}
        {choice('outcome', t('log.outcome'), ['answered', 'missed', 'voicemail', 'abandoned'])}
        {/* The buttons take a whole row, because a 150 px grid cell is too narrow for both labels in Italian. */}
        <div style={{ display: 'flex', flexWrap: 'wrap', gap: 8, gridColumn: '1 / -1' }}>
          <Button type="submit" isPrimary>
            {t('log.apply')}
          </Button>
          <Button type="button" onClick={exportCsv}>
            {t('log.export')}
          </Button>
        </div>
      </form>
      {exportError && <ErrorState message={exportError} />}
      {log.status === 'loading' && <Loading />}
      {log.status === 'error' && <ErrorState message={log.message} onRetry={reload} />}
      {log.status === 'ready' && log.value.calls.length === 0 && <Empty text={t('log.empty')} />}
      {log.status === 'ready' && log.value.calls.length > 0 && (
        <>
          <SM>{log.value.total === 1 ? t('log.total_one') : t('log.total', { count: log.value.total })}</SM>
          <CallTable calls={log.value.calls} api={api} onOpenTicket={(id) => void client.invoke('routeTo', 'ticket', String(id))} />
          {log.value.total > PER_PAGE && (
            <OffsetPagination totalPages={Math.ceil(log.value.total / PER_PAGE)} currentPage={page} onChange={setPage} />
          )}
        </>
      )}
    </div>
  )
}
