import type { Queryable } from '../db/database'
import { isOpen, nextOpening, type TeamSchedule } from '../schedules/schedule'
import type { Overflow, RoutingRule } from './model'
import { DEFAULT_RULES } from './model'

export interface TeamRow {
  id: string
  name: string
  time_zone: string
  wrap_up_seconds: number
  zendesk_group_id: string | null
  shifts: TeamSchedule['shifts']
  holidays: TeamSchedule['holidays']
}

export interface QueueRow {
  id: string
  name: string
  team_ids: string[]
  /** bigint: pg returns it as text, PGlite as a number. */
  zendesk_group_id: string | number | null
  max_wait_seconds: number
  overflow: Overflow
  hold_music_url: string | null
  announce_every_seconds: number
  ring_seconds: number
  required_skills: string[]
  callback_key: string | null
}

export function scheduleOf(team: TeamRow): TeamSchedule {
  return { timeZone: team.time_zone, shifts: team.shifts, holidays: team.holidays }
}

export async function loadQueue(db: Queryable, queueId: string): Promise<QueueRow | undefined> {
  const result = await db.query<QueueRow>('SELECT * FROM queues WHERE id = $1', [queueId])
  return result.rows[0]
}

export async function loadTeams(db: Queryable, teamIds: string[]): Promise<TeamRow[]> {
  const result = await db.query<TeamRow>('SELECT * FROM teams WHERE id = ANY($1)', [teamIds])
  // Keep the queue's follow-the-sun order.
  return teamIds.map((id) => result.rows.find((team) => team.id === id)).filter((team): team is TeamRow => team !== undefined)
}

export function openTeams(teams: TeamRow[], now: Date): TeamRow[] {
  return teams.filter((team) => isOpen(scheduleOf(team), now))
}

/** The team of the queue that opens first after `now`, with when it opens. */
export function nextTeamToOpen(teams: TeamRow[], now: Date): { team: TeamRow; opensAt: Date } | undefined {
  let best: { team: TeamRow; opensAt: Date } | undefined
  for (const team of teams) {
    const opensAt = nextOpening(scheduleOf(team), now)
    if (opensAt && (!best || opensAt < best.opensAt)) best = { team, opensAt }
  }
  return best
}

export async function loadRules(db: Queryable): Promise<RoutingRule[]> {
  const result = await db.query<{ value: RoutingRule[] }>(`SELECT value FROM routing_settings WHERE key = 'rules'`)
  return result.rows[0]?.value ?? DEFAULT_RULES
}

export async function agentOfZendeskUser(db: Queryable, zendeskUserId: number): Promise<string | undefined> {
  const result = await db.query<{ id: string }>('SELECT id FROM agents WHERE zendesk_user_id = $1', [zendeskUserId])
  return result.rows[0]?.id
}

export async function queueOfGroup(db: Queryable, groupId: number): Promise<string | undefined> {
  const result = await db.query<{ id: string }>('SELECT id FROM queues WHERE zendesk_group_id = $1 ORDER BY id LIMIT 1', [groupId])
  return result.rows[0]?.id
}
