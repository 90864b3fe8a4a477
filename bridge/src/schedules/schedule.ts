import { DateTime } from 'luxon'

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const
export type Weekday = (typeof WEEKDAYS)[number]

/**
 * A weekly shift in the team's local time. When `end` is not after `start` the shift
 * crosses midnight and ends the next day; "24:00" ends at midnight.
 */
export interface Shift {
  days: Weekday[]
  start: string
  end: string
}

/** Days off, from `from` to `to` (inclusive, local dates). With `start` and `end` only that part of each day is closed. */
export interface Holiday {
  name: string
  from: string
  to?: string
  start?: string
  end?: string
}

export interface TeamSchedule {
  timeZone: string
  shifts: Shift[]
  holidays: Holiday[]
}

/**
 * Tells whether the team works at `instant`, evaluated in the team's own zone with
 * luxon, so daylight-saving changes and the server's own zone do not matter.
 */
export function isOpen(schedule: TeamSchedule, instant: Date): boolean {
  const local = DateTime.fromJSDate(instant, { zone: schedule.timeZone })
  return inShift(schedule.shifts, local) && !onHoliday(schedule.holidays, local)
}

function inShift(shifts: Shift[], local: DateTime): boolean {
  const today = local.startOf('day')
  const yesterday = today.minus({ days: 1 })
  return shifts.some((shift) =>
    [today, yesterday].some((day) => {
      if (!shift.days.includes(weekdayOf(day))) return false
      const { start, end } = shiftInterval(shift, day)
      return local >= start && local < end
    }),
  )
}

function onHoliday(holidays: Holiday[], local: DateTime): boolean {
  const date = local.toISODate() as string
  return holidays.some((holiday) => {
    if (date < holiday.from || date > (holiday.to ?? holiday.from)) return false
    if (holiday.start === undefined || holiday.end === undefined) return true
    const day = local.startOf('day')
    return local >= atLocalTime(day, holiday.start) && local < atLocalTime(day, holiday.end)
  })
}

/** Returns the start and end of one occurrence of a shift that begins on `day` (local midnight). */
function shiftInterval(shift: Shift, day: DateTime): { start: DateTime; end: DateTime } {
  const start = atLocalTime(day, shift.start)
  let end = atLocalTime(day, shift.end)
  if (end <= start) end = atLocalTime(day.plus({ days: 1 }), shift.end)
  return { start, end }
}

/** Places a wall-clock time on a local date. A time inside a spring-forward gap moves to after the gap. */
function atLocalTime(day: DateTime, time: string): DateTime {
  const [hour, minute] = time.split(':').map(Number)
  if (hour === 24) return day.plus({ days: 1 }).startOf('day')
  return day.set({ hour, minute, second: 0, millisecond: 0 })
}

function weekdayOf(day: DateTime): Weekday {
  return WEEKDAYS[day.weekday - 1]
}

/**
 * Returns the first moment at or after `instant` when the team works, looking `horizonDays`
 * ahead, or undefined when it never opens in that time (a team with no shifts).
 */
export function nextOpening(schedule: TeamSchedule, instant: Date, horizonDays = 21): Date | undefined {
  if (isOpen(schedule, instant)) return instant
  const local = DateTime.fromJSDate(instant, { zone: schedule.timeZone }).startOf('day')
  const candidates: DateTime[] = []
  for (let offset = 0; offset <= horizonDays; offset += 1) {
    const day = local.plus({ days: offset })
    candidates.push(day)
    for (const shift of schedule.shifts) {
      if (shift.days.includes(weekdayOf(day))) candidates.push(atLocalTime(day, shift.start))
    }
    for (const holiday of schedule.holidays) {
      if (holiday.end !== undefined) candidates.push(atLocalTime(day, holiday.end))
    }
  }
  const after = candidates.map((candidate) => candidate.toJSDate()).filter((date) => date.getTime() > instant.getTime())
  return after.sort((a, b) => a.getTime() - b.getTime()).find((date) => isOpen(schedule, date))
}

const TIME = /^([01]\d|2[0-3]):[0-5]\d$|^24:00$/
const IANA_NAME = /^(UTC|[A-Za-z]+(\/[A-Za-z0-9_+-]+)+)$/
const DATE = /^\d{4}-\d{2}-\d{2}$/

/** Checks a schedule beyond its JSON schema; returns problems naming the field and the value. */
export function scheduleProblems(schedule: TeamSchedule): string[] {
  const problems: string[] = []
  // luxon also takes fixed offsets such as "UTC+1", which never change for summer time.
  if (!IANA_NAME.test(schedule.timeZone) || !DateTime.now().setZone(schedule.timeZone).isValid) {
    problems.push(`time_zone "${schedule.timeZone}" is not an IANA time zone such as Europe/Rome`)
  }
  schedule.shifts.forEach((shift, index) => {
    for (const field of ['start', 'end'] as const) {
      if (!TIME.test(shift[field])) problems.push(`shifts/${index}/${field} "${shift[field]}" must be HH:MM (00:00 to 24:00)`)
    }
    if (shift.start === shift.end) problems.push(`shifts/${index} starts and ends at ${shift.start}: a shift needs a length`)
    if (shift.days.length === 0) problems.push(`shifts/${index}/days is empty: name at least one of ${WEEKDAYS.join(', ')}`)
  })
  schedule.holidays.forEach((holiday, index) => {
    for (const field of ['from', 'to'] as const) {
      const value = holiday[field]
      if (value !== undefined && (!DATE.test(value) || !DateTime.fromISO(value).isValid)) {
        problems.push(`holidays/${index}/${field} "${value}" must be a date YYYY-MM-DD`)
      }
    }
    if (holiday.to !== undefined && holiday.to < holiday.from) problems.push(`holidays/${index}/to "${holiday.to}" is before from "${holiday.from}"`)
    if ((holiday.start === undefined) !== (holiday.end === undefined)) problems.push(`holidays/${index} needs both start and end, or neither`)
    for (const field of ['start', 'end'] as const) {
      const value = holiday[field]
      if (value !== undefined && !TIME.test(value)) problems.push(`holidays/${index}/${field} "${value}" must be HH:MM`)
    }
  })
  return problems
}
