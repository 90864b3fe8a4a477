import type { ZendeskClient } from '../zendesk/client'
import { ianaZoneOf } from './rails-time-zones'
import type { Holiday, Shift, TeamSchedule } from './schedule'

const MINUTES_PER_DAY = 1440
/** Zendesk counts interval minutes from Sunday 00:00. */
const ZENDESK_DAY_ORDER = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const

export interface ZendeskSchedule {
  id: number
  name: string
  time_zone: string
  intervals: Array<{ start_time: number; end_time: number }>
}

export interface ZendeskHoliday {
  name: string
  start_date: string
  end_date: string
}

/**
 * Converts a Zendesk business-hours schedule (intervals in minutes from Sunday 00:00, in a
 * Rails time-zone name) and its holidays into a team schedule. Intervals never cross
 * midnight in Zendesk, so each one becomes a one-day shift.
 */
export function scheduleFromZendesk(schedule: ZendeskSchedule, holidays: ZendeskHoliday[]): TeamSchedule {
  const timeZone = ianaZoneOf(schedule.time_zone)
  if (timeZone === undefined) {
    throw new Error(`Zendesk schedule ${schedule.id} has time zone "${schedule.time_zone}", which has no known IANA zone`)
  }
  const shifts: Shift[] = schedule.intervals.map((interval, index) => {
    const day = Math.floor(interval.start_time / MINUTES_PER_DAY) % 7
    const start = interval.start_time - day * MINUTES_PER_DAY
    const end = interval.end_time - day * MINUTES_PER_DAY
    if (start < 0 || end > MINUTES_PER_DAY || end <= start) {
      throw new Error(`Zendesk schedule ${schedule.id} interval ${index} (${interval.start_time}-${interval.end_time}) is not within one day`)
    }
    return { days: [ZENDESK_DAY_ORDER[day]], start: clock(start), end: clock(end) }
  })
  return {
    timeZone,
    shifts,
    holidays: holidays.map((holiday): Holiday => ({ name: holiday.name, from: holiday.start_date, to: holiday.end_date })),
  }
}

function clock(minutes: number): string {
  const hours = Math.floor(minutes / 60)
  return `${String(hours).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`
}

/** Reads a schedule and its holidays from Zendesk (an admin's credentials are needed). */
export async function fetchZendeskSchedule(client: ZendeskClient, scheduleId: number): Promise<TeamSchedule> {
  const { schedule } = await client.request<{ schedule: ZendeskSchedule }>('GET', `/api/v2/business_hours/schedules/${scheduleId}.json`)
  const { holidays } = await client.request<{ holidays: ZendeskHoliday[] }>('GET', `/api/v2/business_hours/schedules/${scheduleId}/holidays.json`)
  return scheduleFromZendesk(schedule, holidays)
}

