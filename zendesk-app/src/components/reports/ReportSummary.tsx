import { Tag } from '@zendeskgarden/react-tags'
import { useI18n } from '../../i18n'
import type { ReportMetrics } from '../../reports-api'
import { formatCount, formatPercent, formatSeconds } from './report-format'

interface Figure {
  id: string
  label: string
  value: string
  detail?: string
}

/** Renders the report's total as figures, with the service level against the lead's target. */
export function ReportSummary({ total, serviceLevelSeconds, serviceLevelTarget }: { total: ReportMetrics; serviceLevelSeconds: number; serviceLevelTarget: number }) {
  const { t, locale } = useI18n()
  const count = (value: number) => formatCount(value, locale)
  const figures: Figure[] = [
    { id: 'offered', label: t('reports.metrics.offered'), value: count(total.offered) },
    { id: 'answered', label: t('reports.metrics.answered'), value: count(total.answered) },
    {
      id: 'abandoned',
      label: t('reports.metrics.abandoned'),
      value: count(total.abandoned),
      detail: t('reports.summary.short_abandoned', { count: count(total.short_abandoned) }),
    },
    {
      id: 'service_level',
      label: t('reports.summary.service_level', { seconds: serviceLevelSeconds }),
      value: formatPercent(total.service_level_percent, locale),
      detail: t('reports.summary.target', { target: formatPercent(serviceLevelTarget, locale) }),
    },
    { id: 'asa', label: t('reports.metrics.average_speed_of_answer'), value: formatSeconds(total.average_speed_of_answer_seconds, locale, t) },
    { id: 'aht', label: t('reports.metrics.average_handle'), value: formatSeconds(total.average_handle_seconds, locale, t) },
    { id: 'occupancy', label: t('reports.metrics.occupancy'), value: formatPercent(total.occupancy_percent, locale) },
    {
      id: 'callbacks',
      label: t('reports.summary.callbacks'),
      value: `${count(total.callbacks_completed)} / ${count(total.callbacks_requested)}`,
      detail: t('reports.summary.callbacks_detail'),
    },
    { id: 'voicemails', label: t('reports.metrics.voicemails'), value: count(total.voicemails) },
  ]
  const level = total.service_level_percent

  return (
    <dl aria-label={t('reports.summary.title')} style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(160px, 1fr))', gap: 8, margin: 0 }}>
      {figures.map((figure) => (
        <div key={figure.id} data-figure={figure.id} style={{ border: '1px solid #d8dcde', borderRadius: 4, padding: 8 }}>
          <dt style={{ fontSize: 12, color: '#68737d' }}>{figure.label}</dt>
          <dd style={{ margin: '4px 0 0', fontSize: 22, fontWeight: 600 }}>{figure.value}</dd>
          {figure.detail && <dd style={{ margin: 0, fontSize: 12, color: '#68737d' }}>{figure.detail}</dd>}
          {figure.id === 'service_level' && level !== null && (
            <dd style={{ margin: '4px 0 0' }}>
              <Tag size="small" hue={level >= serviceLevelTarget ? 'green' : 'red'}>
                {level >= serviceLevelTarget ? t('reports.summary.target_met') : t('reports.summary.target_missed')}
              </Tag>
            </dd>
          )}
        </div>
      ))}
    </dl>
  )
}
