import type { Translate } from '../../i18n'
import type { ReportGroupBy, ReportQuery } from '../../reports-api'

/** Values of the report form as the lead typed them. Dates are days (YYYY-MM-DD) in `timeZone`, both included. */
export interface ReportFormValues {
  fromDay: string
  toDay: string
  timeZone: string
  groupBy: ReportGroupBy
  shortAbandonSeconds: string
  serviceLevelSeconds: string
  /** The X of "X % answered within Y seconds": shown as a target, not sent to the bridge. */
  serviceLevelTarget: string
}

/** A report request that passed the form's checks, with the service level target to show. */
export interface AppliedReport {
  query: ReportQuery
  serviceLevelTarget: number
}

export type ReportFormErrors = Partial<Record<keyof ReportFormValues, string>>

const DAY_MS = 86_400_000
/** The bridge's limits for both thresholds, in seconds. */
const MAX_THRESHOLD_SECONDS = 3600

/** Returns the browser's IANA time zone, or UTC when the browser reports none. */
export function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC'
}

/** Checks whether Intl accepts `zone` as a time zone. */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone })
    return true
  } catch {
    return false
  }
}

/** Returns the form for the last seven days up to today in `timeZone`, by queue, with the bridge's default thresholds. */
export function defaultReportForm(now: Date, timeZone = browserTimeZone()): ReportFormValues {
  const today = dayIn(now.getTime(), timeZone)
  return {
    fromDay: addDays(today, -6),
    toDay: today,
    timeZone,
    groupBy: 'queue',
    shortAbandonSeconds: '5',
    serviceLevelSeconds: '20',
    serviceLevelTarget: '80',
  }
}

/** Checks the form and turns it into a request, or returns one translated message per invalid field. */
export function applyReportForm(values: ReportFormValues, t: Translate): { report: AppliedReport } | { errors: ReportFormErrors } {
  const errors: ReportFormErrors = {}
  const timeZone = values.timeZone.trim()
  if (!isTimeZone(timeZone)) errors.timeZone = t('reports.errors.time_zone', { value: timeZone })
  if (!isDay(values.fromDay)) errors.fromDay = t('reports.errors.day')
  if (!isDay(values.toDay)) errors.toDay = t('reports.errors.day')
  else if (isDay(values.fromDay) && values.toDay < values.fromDay) errors.toDay = t('reports.errors.range_reversed')
  const shortAbandon = wholeNumber(values.shortAbandonSeconds, 0, MAX_THRESHOLD_SECONDS)
  if (shortAbandon === undefined) errors.shortAbandonSeconds = t('reports.errors.seconds', { min: 0, max: MAX_THRESHOLD_SECONDS })
  const serviceLevel = wholeNumber(values.serviceLevelSeconds, 1, MAX_THRESHOLD_SECONDS)
  if (serviceLevel === undefined) errors.serviceLevelSeconds = t('reports.errors.seconds', { min: 1, max: MAX_THRESHOLD_SECONDS })
  const target = wholeNumber(values.serviceLevelTarget, 1, 100)
  if (target === undefined) errors.serviceLevelTarget = t('reports.errors.percent')
  if (Object.keys(errors).length > 0) return { errors }

  return {
    report: {
      query: {
        from: startOfDay(values.fromDay, timeZone),
        to: startOfDay(addDays(values.toDay, 1), timeZone),
        time_zone: timeZone,
        group_by: values.groupBy,
        short_abandon_seconds: shortAbandon!,
        service_level_seconds: serviceLevel!,
      },
      serviceLevelTarget: target!,
    },
  }
}

/** Returns the UTC instant (ISO 8601) of midnight at the start of `day` in `timeZone`. */
export function startOfDay(day: string, timeZone: string): string {
  const [year, month, date] = day.split('-').map(Number)
  const wallClock = Date.UTC(year, month - 1, date)
  // The second pass uses the offset at the result, which differs when a DST change falls between.
  const guess = wallClock - zoneOffsetMs(wallClock, timeZone)
  return new Date(wallClock - zoneOffsetMs(guess, timeZone)).toISOString()
}

/** Returns how far `timeZone`'s wall clock is ahead of UTC at `instant`, in milliseconds. */
function zoneOffsetMs(instant: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(new Date(instant))
  const part = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((item) => item.type === type)?.value)
  const wallClock = Date.UTC(part('year'), part('month') - 1, part('day'), part('hour'), part('minute'), part('second'))
  return wallClock - Math.floor(instant / 1000) * 1000
}

function dayIn(instant: number, timeZone: string): string {
  return new Date(instant + zoneOffsetMs(instant, timeZone)).toISOString().slice(0, 10)
}

function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10)
}

function isDay(value: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`))
}

function wholeNumber(text: string, min: number, max: number): number | undefined {
  if (!/^\d+$/.test(text.trim())) return undefined
  const value = Number(text)
  return value >= min && value <= max ? value : undefined
}
