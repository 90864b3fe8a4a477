import { Body, Cell, Head, HeaderCell, HeaderRow, Row, Table } from '@zendeskgarden/react-tables'
import { useI18n, type Translate } from '../../i18n'
import type { ReportGroupBy, ReportMetrics, ReportRow } from '../../reports-api'
import { formatCount, formatPercent, formatSeconds, rowLabel } from './report-format'

/** Narrower padding and smaller headers that wrap, so that twelve columns need less sideways scrolling. */
const CELL_STYLE = { textAlign: 'end', paddingInline: 5 } as const
const HEADER_STYLE = { ...CELL_STYLE, verticalAlign: 'bottom', fontSize: 12, lineHeight: '16px' } as const

type Column = { id: keyof ReportMetrics; label: string; format: (metrics: ReportMetrics) => string }

function columns(t: Translate, locale: string, serviceLevelSeconds: number): Column[] {
  const count = (id: keyof ReportMetrics, label: string): Column => ({ id, label, format: (metrics) => formatCount(metrics[id] as number, locale) })
  return [
    count('offered', t('reports.metrics.offered')),
    count('answered', t('reports.metrics.answered')),
    count('abandoned', t('reports.metrics.abandoned')),
    count('short_abandoned', t('reports.metrics.short_abandoned')),
    count('voicemails', t('reports.metrics.voicemails')),
    count('callbacks_requested', t('reports.metrics.callbacks_requested')),
    count('callbacks_completed', t('reports.metrics.callbacks_completed')),
    { id: 'average_speed_of_answer_seconds', label: t('reports.metrics.average_speed_of_answer'), format: (metrics) => formatSeconds(metrics.average_speed_of_answer_seconds, locale, t) },
    { id: 'average_handle_seconds', label: t('reports.metrics.average_handle'), format: (metrics) => formatSeconds(metrics.average_handle_seconds, locale, t) },
    { id: 'service_level_percent', label: t('reports.summary.service_level', { seconds: serviceLevelSeconds }), format: (metrics) => formatPercent(metrics.service_level_percent, locale) },
    { id: 'occupancy_percent', label: t('reports.metrics.occupancy'), format: (metrics) => formatPercent(metrics.occupancy_percent, locale) },
  ]
}

interface ReportTableProps {
  rows: ReportRow[]
  total: ReportMetrics
  groupBy: ReportGroupBy
  serviceLevelSeconds: number
}

/** Renders every metric per row, then the total, in a table that scrolls sideways when the nav bar is narrow. */
export function ReportTable({ rows, total, groupBy, serviceLevelSeconds }: ReportTableProps) {
  const { t, locale } = useI18n()
  const metricColumns = columns(t, locale, serviceLevelSeconds)
  return (
    <div style={{ overflowX: 'auto' }}>
      {/* Garden fixes the layout to equal columns; auto gives the wrapping labels the room that short numbers leave. */}
      <Table size="small" aria-label={t('reports.table_label')} style={{ tableLayout: 'auto' }}>
        <Head>
          <HeaderRow>
            <HeaderCell style={{ ...HEADER_STYLE, textAlign: 'start' }}>{t(`reports.grouping.${groupBy}`)}</HeaderCell>
            {metricColumns.map((column) => (
              <HeaderCell key={column.id} style={HEADER_STYLE}>
                {column.label}
              </HeaderCell>
            ))}
          </HeaderRow>
        </Head>
        <Body>
          {rows.map((row) => (
            <Row key={row.key ?? 'none'}>
              <Cell style={{ paddingInline: 5 }}>{rowLabel(row, groupBy, t)}</Cell>
              {metricColumns.map((column) => (
                <Cell key={column.id} style={CELL_STYLE}>
                  {column.format(row)}
                </Cell>
              ))}
            </Row>
          ))}
          <Row style={{ fontWeight: 600 }}>
            <Cell style={{ paddingInline: 5 }}>{t('reports.total')}</Cell>
            {metricColumns.map((column) => (
              <Cell key={column.id} style={CELL_STYLE}>
                {column.format(total)}
              </Cell>
            ))}
          </Row>
        </Body>
      </Table>
    </div>
  )
}
