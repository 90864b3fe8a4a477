import { isOpen, nextOpening, scheduleProblems, type TeamSchedule } from '../../src/schedules/schedule'
import { scheduleFromZendesk } from '../../src/schedules/zendesk-import'

const weekdays = ['mon', 'tue', 'wed', 'thu', 'fri'] as const

const rome: TeamSchedule = {
  timeZone: 'Europe/Rome',
  shifts: [{ days: [...weekdays], start: '09:00', end: '18:00' }],
  holidays: [
    { name: 'Natale', from: '2026-12-25', to: '2026-12-26' },
    { name: 'Vigilia', from: '2026-12-24', start: '13:00', end: '24:00' },
  ],
}
const newYorkNights: TeamSchedule = {
  timeZone: 'America/New_York',
  shifts: [{ days: ['sun', 'mon', 'tue', 'wed', 'thu'], start: '22:00', end: '06:00' }],
  holidays: [],
}
const manila: TeamSchedule = {
  timeZone: 'Asia/Manila',
  shifts: [{ days: [...weekdays], start: '08:00', end: '12:00' }, { days: [...weekdays], start: '13:00', end: '17:00' }],
  holidays: [],
}

describe(`isOpen (process time zone ${process.env.TZ ?? 'unset'})`, () => {
  it.each([
    ['Rome, Friday before spring forward, 09:30 CET', rome, '2026-03-27T08:30:00Z', true],
    ['Rome, Friday 08:59 CET', rome, '2026-03-27T07:59:00Z', false],
    ['Rome, Monday after spring forward, 09:00 CEST', rome, '2026-03-30T07:00:00Z', true],
    ['Rome, Monday after spring forward, 08:59 CEST', rome, '2026-03-30T06:59:00Z', false],
    ['Rome, Monday after fall back, 09:00 CET', rome, '2026-10-26T08:00:00Z', true],
    ['Rome, Monday after fall back, 08:59 CET', rome, '2026-10-26T07:59:00Z', false],
    ['Rome, Saturday noon', rome, '2026-03-28T11:00:00Z', false],
    ['Rome, Christmas Eve morning', rome, '2026-12-24T10:00:00Z', true],
    ['Rome, Christmas Eve afternoon (partial holiday)', rome, '2026-12-24T13:00:00Z', false],
    ['Rome, Christmas Day (Friday)', rome, '2026-12-25T10:00:00Z', false],
    ['New York nights, Monday 03:00 EST', newYorkNights, '2026-01-05T08:00:00Z', true],
    ['New York nights, Sunday 22:00 EST (shift start)', newYorkNights, '2026-01-05T03:00:00Z', true],
    ['New York nights, Friday 03:00 EST (Thursday shift)', newYorkNights, '2026-01-09T08:00:00Z', true],
    ['New York nights, Saturday 03:00 EST', newYorkNights, '2026-01-10T08:00:00Z', false],
    ['New York nights, spring-forward night 05:30 EDT', newYorkNights, '2026-03-09T09:30:00Z', true],
    ['New York nights, spring-forward morning 06:00 EDT', newYorkNights, '2026-03-09T10:00:00Z', false],
    ['New York nights, fall-back night 05:59 EST', newYorkNights, '2026-11-02T10:59:00Z', true],
    ['New York nights, fall-back morning 06:00 EST', newYorkNights, '2026-11-02T11:00:00Z', false],
    ['Manila, Wednesday 08:30', manila, '2026-07-01T00:30:00Z', true],
    ['Manila, lunch break 12:30', manila, '2026-07-01T04:30:00Z', false],
    ['Manila, Wednesday 16:59 in March (no daylight saving)', manila, '2026-03-11T08:59:00Z', true],
    ['Manila, Wednesday 17:00', manila, '2026-03-11T09:00:00Z', false],
  ])('%s', (_case, schedule, instant, open) => {
    expect(isOpen(schedule, new Date(instant))).toBe(open)
  })

  it('starts a shift inside the spring-forward gap once the clock jumps', () => {
    const gap: TeamSchedule = { timeZone: 'Europe/Rome', shifts: [{ days: ['sun'], start: '02:30', end: '04:00' }], holidays: [] }
    expect(isOpen(gap, new Date('2026-03-29T01:15:00Z'))).toBe(false)
    expect(isOpen(gap, new Date('2026-03-29T01:45:00Z'))).toBe(true)
    expect(isOpen(gap, new Date('2026-03-29T02:00:00Z'))).toBe(false)
  })
})

describe('nextOpening', () => {
  it('finds Monday 09:00 CEST across the spring-forward weekend', () => {
    expect(nextOpening(rome, new Date('2026-03-27T18:00:00Z'))?.toISOString()).toBe('2026-03-30T07:00:00.000Z')
  })

  it('skips Christmas', () => {
    expect(nextOpening(rome, new Date('2026-12-24T13:00:00Z'))?.toISOString()).toBe('2026-12-28T08:00:00.000Z')
  })

  it('returns the instant itself when the team is open', () => {
    expect(nextOpening(manila, new Date('2026-07-01T00:30:00Z'))?.toISOString()).toBe('2026-07-01T00:30:00.000Z')
  })

  it('finds the Manila afternoon after the lunch break', () => {
    expect(nextOpening(manila, new Date('2026-07-01T04:30:00Z'))?.toISOString()).toBe('2026-07-01T05:00:00.000Z')
  })

  it('returns undefined for a team without shifts', () => {
    expect(nextOpening({ timeZone: 'Europe/Rome', shifts: [], holidays: [] }, new Date())).toBeUndefined()
  })
})

describe('scheduleProblems', () => {
  it('names each invalid field and value', () => {
    const problems = scheduleProblems({
      timeZone: 'Mars/Olympus',
      shifts: [{ days: [], start: '9:00', end: '25:00' }],
      holidays: [{ name: 'x', from: '2026-13-01', to: '2026-01-01', start: '10:00' }],
    })
    expect(problems).toEqual([
      'time_zone "Mars/Olympus" is not an IANA time zone such as Europe/Rome',
      'shifts/0/start "9:00" must be HH:MM (00:00 to 24:00)',
      'shifts/0/end "25:00" must be HH:MM (00:00 to 24:00)',
      'shifts/0/days is empty: name at least one of mon, tue, wed, thu, fri, sat, sun',
      'holidays/0/from "2026-13-01" must be a date YYYY-MM-DD',
      'holidays/0/to "2026-01-01" is before from "2026-13-01"',
      'holidays/0 needs both start and end, or neither',
    ])
  })
})

describe('scheduleProblems on fixed offsets', () => {
  it('rejects a fixed offset that never changes for summer time', () => {
    expect(scheduleProblems({ timeZone: 'UTC+1', shifts: [], holidays: [] })).toEqual(['time_zone "UTC+1" is not an IANA time zone such as Europe/Rome'])
    expect(scheduleProblems({ timeZone: 'UTC', shifts: [], holidays: [] })).toEqual([])
  })
})

describe('scheduleFromZendesk', () => {
  it('turns Sunday-based minutes in a Rails zone into shifts', () => {
    const schedule = scheduleFromZendesk(
      { id: 1, name: 'Roma', time_zone: 'Rome', intervals: [{ start_time: 1980, end_time: 2520 }, { start_time: 8460, end_time: 8640 }] },
      [{ name: 'Ferragosto', start_date: '2026-08-15', end_date: '2026-08-15' }],
    )
    expect(schedule).toEqual({
      timeZone: 'Europe/Rome',
      shifts: [
        { days: ['mon'], start: '09:00', end: '18:00' },
        { days: ['fri'], start: '21:00', end: '24:00' },
      ],
      holidays: [{ name: 'Ferragosto', from: '2026-08-15', to: '2026-08-15' }],
    })
    expect(isOpen(schedule, new Date('2026-07-06T07:00:00Z'))).toBe(true)
  })

  it('rejects an unknown zone by name', () => {
    expect(() => scheduleFromZendesk({ id: 7, name: 'x', time_zone: 'Atlantis', intervals: [] }, [])).toThrow(
      'Zendesk schedule 7 has time zone "Atlantis", which has no known IANA zone',
    )
  })
})
