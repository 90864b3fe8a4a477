import { useState } from 'react'
import { SM } from '@zendeskgarden/react-typography'
import type { BridgeApi } from '../../bridge-api'
import { useAsync } from '../../hooks'
import { useI18n } from '../../i18n'
import { reportSearch, type ReportReply } from '../../reports-api'
import { Empty, ErrorState, Loading } from '../States'
import { ReportChart } from './ReportChart'
import { ReportForm } from './ReportForm'
import { ReportSummary } from './ReportSummary'
import { ReportTable } from './ReportTable'
import { applyReportForm, defaultReportForm, type AppliedReport, type ReportFormErrors, type ReportFormValues } from './report-values'

/**
 * Renders the team leads' reports: the form, then the total as figures, a chart and a table
 * of every metric per row. The CSV export downloads the report on screen, not the form's draft.
 */
export function Reports({ api, now = () => new Date() }: { api: BridgeApi; now?: () => Date }) {
  const { t, timeZone } = useI18n()
  // The form starts in the Zendesk user's zone, the one the call log shows times in.
  const [draft, setDraft] = useState<ReportFormValues>(() => defaultReportForm(now(), timeZone))
  const [errors, setErrors] = useState<ReportFormErrors>({})
  const [applied, setApplied] = useState<AppliedReport>(() => initialReport(draft, t))
  const search = reportSearch(applied.query)
  const [report, reload] = useAsync(() => api.json<ReportReply>(`/app/api/reports?${search}`), search)
  const [exportState, setExportState] = useState<{ running: boolean; error: string | null }>({ running: false, error: null })

  const submit = () => {
    const result = applyReportForm(draft, t)
    if ('errors' in result) return setErrors(result.errors)
    setErrors({})
    setApplied(result.report)
    // The same query again means "fetch again": the lead expects new calls to show up.
    if (reportSearch(result.report.query) === search) reload()
  }
  const exportCsv = () => {
    setExportState({ running: true, error: null })
    api.text(`/app/api/reports.csv?${search}`).then(
      (csv) => {
        saveCsv(csv, `centralino-report-${applied.query.group_by}.csv`)
        setExportState({ running: false, error: null })
      },
      (error: Error) => setExportState({ running: false, error: error.message }),
    )
  }

  return (
    <div style={{ display: 'grid', gap: 16 }}>
      <ReportForm values={draft} errors={errors} onChange={setDraft} onSubmit={submit} onExport={exportCsv} isExporting={exportState.running} />
      {exportState.error && <ErrorState message={t('reports.export_failed', { reason: exportState.error })} />}
      {report.status === 'loading' && <Loading />}
      {report.status === 'error' && <ErrorState message={report.message} onRetry={reload} />}
      {report.status === 'ready' && report.value.rows.length === 0 && <Empty text={t('reports.empty')} />}
      {report.status === 'ready' && report.value.rows.length > 0 && (
        <>
          <SM>{t('reports.applied', { time_zone: report.value.time_zone, short: report.value.short_abandon_seconds })}</SM>
          <ReportSummary total={report.value.total} serviceLevelSeconds={report.value.service_level_seconds} serviceLevelTarget={applied.serviceLevelTarget} />
          <ReportChart rows={report.value.rows} groupBy={report.value.group_by} serviceLevelSeconds={report.value.service_level_seconds} serviceLevelTarget={applied.serviceLevelTarget} />
          <ReportTable rows={report.value.rows} total={report.value.total} groupBy={report.value.group_by} serviceLevelSeconds={report.value.service_level_seconds} />
        </>
      )}
    </div>
  )
}

/** Applies the default form, with UTC in place of a browser zone that Intl rejects. */
function initialReport(values: ReportFormValues, t: Parameters<typeof applyReportForm>[1]): AppliedReport {
  const result = applyReportForm(values, t)
  if ('report' in result) return result.report
  const fallback = applyReportForm({ ...values, timeZone: 'UTC' }, t)
  if ('report' in fallback) return fallback.report
  throw new Error('the default report form is invalid')
}

function saveCsv(csv: string, fileName: string): void {
  const link = document.createElement('a')
  link.href = URL.createObjectURL(new Blob([csv], { type: 'text/csv' }))
  link.download = fileName
  link.click()
  URL.revokeObjectURL(link.href)
}
