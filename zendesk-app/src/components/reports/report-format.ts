import type { Translate } from '../../i18n'
import type { ReportGroupBy, ReportRow } from '../../reports-api'

const MISSING = '–'

/** Formats a count with the locale's digit grouping, such as 1.234 in Italian. */
export function formatCount(value: number, locale: string): string {
  return new Intl.NumberFormat(locale).format(value)
}

/** Formats a percentage from 0 to 100 with at most one decimal, such as "42,9%" in Italian. Null is a dash. */
export function formatPercent(value: number | null, locale: string): string {
  if (value === null) return MISSING
  return new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 }).format(value / 100)
}

/**
 * Formats a duration for reading: "16,5 s" under a minute, "3 min 18 s" under an hour and
 * "1 h 05 min" from an hour on. Null is a dash.
 */
export function formatSeconds(value: number | null, locale: string, t: Translate): string {
  if (value === null) return MISSING
  if (value < 60) return t('reports.duration.seconds', { seconds: new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(value) })
  const whole = Math.round(value)
  if (whole < 3600) return t('reports.duration.minutes', { minutes: Math.floor(whole / 60), seconds: whole % 60 })
  return t('reports.duration.hours', { hours: Math.floor(whole / 3600), minutes: String(Math.floor((whole % 3600) / 60)).padStart(2, '0') })
}

/** Names a row: the bridge's label, or the translated name of the row of calls with no queue, team or agent. */
export function rowLabel(row: ReportRow, groupBy: ReportGroupBy, t: Translate): string {
  return row.key === null ? t(`reports.no_group.${groupBy}`) : row.label
}
