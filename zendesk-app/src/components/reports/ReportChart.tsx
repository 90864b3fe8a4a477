import { Bar, CartesianGrid, ComposedChart, Legend, Line, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts'
import { PALETTE } from '@zendeskgarden/react-theming'
import { LG } from '@zendeskgarden/react-typography'
import { useI18n, type Translate } from '../../i18n'
import type { ReportGroupBy, ReportRow } from '../../reports-api'
import { formatCount, formatPercent, rowLabel } from './report-format'

const COLORS = { offered: PALETTE.blue[700], answered: PALETTE.green[700], abandoned: PALETTE.red[700], serviceLevel: PALETTE.orange[700] }
const HEIGHT = 320
/** Keeps a report with one or two rows from drawing bars half the chart wide. */
const MAX_BAR_WIDTH = 64
/** The chart's size before the browser measures it, and always in jsdom, which has no ResizeObserver. */
const INITIAL_SIZE = { width: 800, height: HEIGHT }

interface ChartPoint {
  name: string
  offered: number
  answered: number
  abandoned: number
  serviceLevel: number | null
}

interface ReportChartProps {
  rows: ReportRow[]
  groupBy: ReportGroupBy
  serviceLevelSeconds: number
  serviceLevelTarget: number
}

/**
 * Renders offered, answered and abandoned calls as bars per row, and the service level as a
 * line against the target. Grouped by hour, every hour of the day gets a point, so quiet
 * hours show as gaps in the day. Animation is off because the figures do not change in place.
 */
export function ReportChart({ rows, groupBy, serviceLevelSeconds, serviceLevelTarget }: ReportChartProps) {
  const { t, locale } = useI18n()
  const points = groupBy === 'hour' ? hourPoints(rows) : rows.map((row) => toPoint(row, rowLabel(row, groupBy, t)))
  const serviceLevelName = t('reports.summary.service_level', { seconds: serviceLevelSeconds })
  const names: Record<string, string> = {
    offered: t('reports.metrics.offered'),
    answered: t('reports.metrics.answered'),
    abandoned: t('reports.metrics.abandoned'),
    serviceLevel: serviceLevelName,
  }

  return (
    <section aria-labelledby="report-chart-title" style={{ display: 'grid', gap: 8 }}>
      <LG tag="h2" id="report-chart-title">
        {chartTitle(t, groupBy)}
      </LG>
      <ResponsiveContainer width="100%" height={HEIGHT} initialDimension={INITIAL_SIZE}>
        <ComposedChart data={points} margin={{ top: 8, right: 8, bottom: 8, left: 0 }} maxBarSize={MAX_BAR_WIDTH}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="name" interval={groupBy === 'hour' ? 1 : 'preserveEnd'} />
          <YAxis yAxisId="calls" allowDecimals={false} tickFormatter={(value: number) => formatCount(value, locale)} />
          <YAxis yAxisId="percent" orientation="right" domain={[0, 100]} tickFormatter={(value: number) => formatPercent(value, locale)} />
          <Tooltip formatter={(value, name) => [formatValue(value, String(name), locale), names[String(name)] ?? String(name)]} />
          {/* itemSorter null keeps the order of the series, not the alphabetical order of their names. */}
          <Legend itemSorter={null} formatter={(value: string) => names[value] ?? value} />
          <Bar yAxisId="calls" dataKey="offered" fill={COLORS.offered} isAnimationActive={false} />
          <Bar yAxisId="calls" dataKey="answered" fill={COLORS.answered} isAnimationActive={false} />
          <Bar yAxisId="calls" dataKey="abandoned" fill={COLORS.abandoned} isAnimationActive={false} />
          <Line yAxisId="percent" dataKey="serviceLevel" stroke={COLORS.serviceLevel} strokeWidth={2} connectNulls={false} isAnimationActive={false} />
          <ReferenceLine
            yAxisId="percent"
            y={serviceLevelTarget}
            stroke={COLORS.serviceLevel}
            strokeDasharray="6 4"
            label={{ value: t('reports.summary.target', { target: formatPercent(serviceLevelTarget, locale) }), position: 'insideTopRight', fontSize: 12 }}
          />
        </ComposedChart>
      </ResponsiveContainer>
    </section>
  )
}

function formatValue(value: unknown, series: string, locale: string): string {
  if (typeof value !== 'number') return '–'
  if (series === 'serviceLevel') return formatPercent(value, locale)
  return formatCount(value, locale)
}

function chartTitle(t: Translate, groupBy: ReportGroupBy): string {
  return t(`reports.chart_title.${groupBy}`)
}

function toPoint(row: ReportRow | undefined, name: string): ChartPoint {
  return {
    name,
    offered: row?.offered ?? 0,
    answered: row?.answered ?? 0,
    abandoned: row?.abandoned ?? 0,
    serviceLevel: row?.service_level_percent ?? null,
  }
}

function hourPoints(rows: ReportRow[]): ChartPoint[] {
  return Array.from({ length: 24 }, (_, hour) => {
    const row = rows.find((item) => item.key === String(hour))
    return toPoint(row, `${String(hour).padStart(2, '0')}:00`)
  })
}
