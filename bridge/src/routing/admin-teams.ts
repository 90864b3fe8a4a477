import type { FastifyInstance } from 'fastify'
import type { Queryable } from '../db/database'
import { routingInputInvalid, teamInUse, teamNotFound, zendeskScheduleInvalid, zendeskUnavailable } from '../errors'
import { isOpen, nextOpening, scheduleProblems, type Holiday, type Shift, type TeamSchedule } from '../schedules/schedule'
import { fetchZendeskSchedule } from '../schedules/zendesk-import'
import { ZendeskApiError } from '../zendesk/client'
import { quoteList, toIso, toNumber, type AdminDeps } from './admin-common'
import { deleteReplies, ErrorReply, IdParams, ImportScheduleBody, readReplies, TeamList, TeamReply, writeReplies } from './admin-schemas'
import { TeamInput } from './model'

interface TeamRow {
  id: string
  name: string
  time_zone: string
  wrap_up_seconds: number
  zendesk_group_id: string | number | null
  shifts: Shift[]
  holidays: Holiday[]
  created_at: Date
  updated_at: Date
  created?: boolean
}

/** Registers the team routes: working hours, and their import from a Zendesk business-hours schedule. */
export async function adminTeamRoutes(app: FastifyInstance, deps: AdminDeps): Promise<void> {
  const { db } = deps

  app.put<{ Params: IdParams; Body: TeamInput }>(
    '/api/admin/teams/:id',
    { schema: { params: IdParams, body: TeamInput, response: writeReplies(TeamReply) } },
    async (request, reply) => {
      const team = request.body
      assertValidSchedule({ timeZone: team.time_zone, shifts: team.shifts, holidays: team.holidays })
      const result = await db.query<TeamRow>(
        `INSERT INTO teams (id, name, time_zone, wrap_up_seconds, zendesk_group_id, shifts, holidays)
         VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7::jsonb)
         ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, time_zone = EXCLUDED.time_zone,
           wrap_up_seconds = EXCLUDED.wrap_up_seconds, zendesk_group_id = EXCLUDED.zendesk_group_id,
           shifts = EXCLUDED.shifts, holidays = EXCLUDED.holidays, updated_at = now()
         RETURNING *, (xmax = 0) AS created`,
        [request.params.id, team.name, team.time_zone, team.wrap_up_seconds, team.zendesk_group_id ?? null, JSON.stringify(team.shifts), JSON.stringify(team.holidays)],
      )
      const row = result.rows[0]
      return reply.code(row.created ? 201 : 200).send(toTeamReply(row))
    },
  )

  app.get('/api/admin/teams', { schema: { response: { 200: TeamList, 401: ErrorReply } } }, async () => {
    const result = await db.query<TeamRow>('SELECT * FROM teams ORDER BY id')
    return { teams: result.rows.map(toTeamReply) }
  })

  app.get<{ Params: IdParams }>('/api/admin/teams/:id', { schema: { params: IdParams, response: readReplies(TeamReply) } }, async (request) => {
    return toTeamReply(await findTeam(db, request.params.id))
  })

  app.delete<{ Params: IdParams }>('/api/admin/teams/:id', { schema: { params: IdParams, response: deleteReplies } }, async (request, reply) => {
    const id = request.params.id
    await db.transaction(async (tx) => {
      // The row lock makes agent and queue writes that check this team wait for the delete.
      await findTeam(tx, id, 'FOR UPDATE')
      const agents = await tx.query<{ id: string }>('SELECT id FROM agents WHERE team_id = $1 ORDER BY id', [id])
      const queues = await tx.query<{ id: string }>('SELECT id FROM queues WHERE $1 = ANY(team_ids) ORDER BY id', [id])
      const users = [
        ...(agents.rowCount > 0 ? [`agents ${quoteList(agents.rows.map((row) => row.id))}`] : []),
        ...(queues.rowCount > 0 ? [`queues ${quoteList(queues.rows.map((row) => row.id))}`] : []),
      ]
      if (users.length > 0) throw teamInUse(id, users)
      await tx.query('DELETE FROM teams WHERE id = $1', [id])
    })
    return reply.code(204).send()
  })

  app.post<{ Params: IdParams; Body: ImportScheduleBody }>(
    '/api/admin/teams/:id/import-zendesk-schedule',
    { schema: { params: IdParams, body: ImportScheduleBody, response: { ...readReplies(TeamReply), 422: ErrorReply, 502: ErrorReply } } },
    async (request) => {
      const { id } = request.params
      const scheduleId = request.body.schedule_id
      await findTeam(db, id)
      const schedule = await importSchedule(deps, scheduleId)
      const result = await db.query<TeamRow>(
        `UPDATE teams SET time_zone = $2, shifts = $3::jsonb, holidays = $4::jsonb, updated_at = now() WHERE id = $1 RETURNING *`,
        [id, schedule.timeZone, JSON.stringify(schedule.shifts), JSON.stringify(schedule.holidays)],
      )
      if (result.rowCount === 0) throw teamNotFound(id)
      request.log.info({ teamId: id, scheduleId, shifts: schedule.shifts.length, holidays: schedule.holidays.length }, 'Zendesk schedule imported')
      return toTeamReply(result.rows[0])
    },
  )
}

async function importSchedule(deps: AdminDeps, scheduleId: number): Promise<TeamSchedule> {
  let schedule: TeamSchedule
  try {
    schedule = await fetchZendeskSchedule(deps.zendesk, scheduleId)
  } catch (error) {
    if (error instanceof ZendeskApiError && error.status === 404) {
      throw routingInputInvalid([`body/schedule_id ${scheduleId} is not a schedule in Zendesk: copy the id from GET /api/v2/business_hours/schedules.json`])
    }
    if (error instanceof ZendeskApiError || error instanceof TypeError) throw zendeskUnavailable(`Reading Zendesk schedule ${scheduleId}`, error)
    // scheduleFromZendesk throws a plain Error for a time zone or an interval it cannot convert.
    throw zendeskScheduleInvalid(scheduleId, (error as Error).message)
  }
  const problems = scheduleProblems(schedule)
  if (problems.length > 0) throw zendeskScheduleInvalid(scheduleId, problems.join('; '))
  return schedule
}

function assertValidSchedule(schedule: TeamSchedule): void {
  const problems = scheduleProblems(schedule)
  if (problems.length > 0) throw routingInputInvalid(problems.map((problem) => `body/${problem}`))
}

async function findTeam(db: Queryable, id: string, lock: '' | 'FOR UPDATE' = ''): Promise<TeamRow> {
  const result = await db.query<TeamRow>(`SELECT * FROM teams WHERE id = $1 ${lock}`, [id])
  if (result.rowCount === 0) throw teamNotFound(id)
  return result.rows[0]
}

function toTeamReply(row: TeamRow) {
  const schedule: TeamSchedule = { timeZone: row.time_zone, shifts: row.shifts, holidays: row.holidays }
  const now = new Date()
  return {
    id: row.id,
    name: row.name,
    time_zone: row.time_zone,
    wrap_up_seconds: row.wrap_up_seconds,
    zendesk_group_id: toNumber(row.zendesk_group_id),
    shifts: row.shifts,
    holidays: row.holidays,
    open_now: isOpen(schedule, now),
    next_opening: nextOpening(schedule, now)?.toISOString() ?? null,
    created_at: toIso(row.created_at),
    updated_at: toIso(row.updated_at),
  }
}
