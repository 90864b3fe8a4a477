import type { FastifyInstance } from 'fastify'
import type { Queryable } from '../db/database'
import { queueInUse, queueNotFound, routingInputInvalid } from '../errors'
import { quoteList, toIso, toNumber, type AdminDeps } from './admin-common'
import { deleteReplies, ErrorReply, IdParams, QueueList, QueueReply, readReplies, writeReplies } from './admin-schemas'
import type { QueueRow } from './directory'
import { QueueInput, type IvrFlow, type Overflow } from './model'

/** A queue row as the admin API reads and writes it: the routing fields plus timestamps. */
interface QueueRecord extends QueueRow {
  created_at: Date
  updated_at: Date
  created?: boolean
}

/**
 * Queue entry states in which a caller still depends on the queue: waiting, being offered,
 * or waiting for a callback. A `connected` entry counts while its call is in progress.
 */
const LIVE_ENTRY_STATES = ['waiting', 'offering', 'callback', 'calling_back']

/** Registers the queue routes: which teams serve a queue (follow-the-sun order), and where callers go after the maximum wait. */
export async function adminQueueRoutes(app: FastifyInstance, deps: AdminDeps): Promise<void> {
  const { db } = deps

  app.put<{ Params: IdParams; Body: QueueInput }>(
    '/api/admin/queues/:id',
    { schema: { params: IdParams, body: QueueInput, response: writeReplies(QueueReply) } },
    async (request, reply) => {
      const { id } = request.params
      const queue = request.body
      const overflow: Overflow = queue.overflow ?? { type: 'voicemail' }
      const row = await db.transaction(async (tx) => {
        const problems = [...(await teamProblems(tx, queue.team_ids)), ...(await overflowProblems(tx, id, overflow))]
        if (problems.length > 0) throw routingInputInvalid(problems)
        const result = await tx.query<QueueRecord>(
          `INSERT INTO queues (id, name, team_ids, zendesk_group_id, max_wait_seconds, overflow, hold_music_url, announce_every_seconds, ring_seconds, required_skills, callback_key)
           VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $8, $9, $10, $11)
           ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, team_ids = EXCLUDED.team_ids,
             zendesk_group_id = EXCLUDED.zendesk_group_id, max_wait_seconds = EXCLUDED.max_wait_seconds,
             overflow = EXCLUDED.overflow, hold_music_url = EXCLUDED.hold_music_url,
             announce_every_seconds = EXCLUDED.announce_every_seconds, ring_seconds = EXCLUDED.ring_seconds,
             required_skills = EXCLUDED.required_skills, callback_key = EXCLUDED.callback_key, updated_at = now()
           RETURNING *, (xmax = 0) AS created`,
          [
            id,
            queue.name,
            queue.team_ids,
            queue.zendesk_group_id ?? null,
            queue.max_wait_seconds,
            JSON.stringify(overflow),
            queue.hold_music_url ?? null,
            queue.announce_every_seconds,
            queue.ring_seconds,
            queue.required_skills,
            queue.callback_key ?? null,
          ],
        )
        return result.rows[0]
      })
      return reply.code(row.created ? 201 : 200).send(toQueueReply(row))
    },
  )

  app.get('/api/admin/queues', { schema: { response: { 200: QueueList, 401: ErrorReply } } }, async () => {
    const result = await db.query<QueueRecord>('SELECT * FROM queues ORDER BY id')
    return { queues: result.rows.map(toQueueReply) }
  })

  app.get<{ Params: IdParams }>('/api/admin/queues/:id', { schema: { params: IdParams, response: readReplies(QueueReply) } }, async (request) => {
    const result = await db.query<QueueRecord>('SELECT * FROM queues WHERE id = $1', [request.params.id])
    if (result.rowCount === 0) throw queueNotFound(request.params.id)
    return toQueueReply(result.rows[0])
  })

  app.delete<{ Params: IdParams }>('/api/admin/queues/:id', { schema: { params: IdParams, response: deleteReplies } }, async (request, reply) => {
    const { id } = request.params
    await db.transaction(async (tx) => {
      // Flow versions and queue writes lock the queues they check, so they wait for this delete.
      const found = await tx.query('SELECT id FROM queues WHERE id = $1 FOR UPDATE', [id])
      if (found.rowCount === 0) throw queueNotFound(id)
      const users = await queueUsers(tx, id)
      if (users.length > 0) throw queueInUse(id, users)
      // The remaining entries belong to finished calls, and the calls table keeps their queue_id.
      await tx.query('DELETE FROM queue_entries WHERE queue_id = $1', [id])
      await tx.query('DELETE FROM queues WHERE id = $1', [id])
    })
    return reply.code(204).send()
  })
}

async function teamProblems(tx: Queryable, teamIds: string[]): Promise<string[]> {
  // FOR SHARE keeps these teams from being deleted until the queue is stored.
  const found = await tx.query<{ id: string }>('SELECT id FROM teams WHERE id = ANY($1) FOR SHARE', [teamIds])
  const known = new Set(found.rows.map((row) => row.id))
  return teamIds.flatMap((teamId, index) =>
    known.has(teamId) ? [] : [`body/team_ids/${index} "${teamId}" is not a team: create it with PUT /api/admin/teams/${teamId} first`],
  )
}

/** Checks that an overflow queue exists and that following overflows from it never leads back to this queue. */
async function overflowProblems(tx: Queryable, queueId: string, overflow: Overflow): Promise<string[]> {
  if (overflow.type !== 'queue') return []
  if (overflow.queue_id === queueId) return [`body/overflow/queue_id "${overflow.queue_id}" is this queue itself: overflow to another queue, to voicemail or to callback`]
  const chain = [queueId]
  let next: string | undefined = overflow.queue_id
  while (next !== undefined) {
    if (chain.includes(next)) {
      return [`body/overflow/queue_id "${overflow.queue_id}" leads back to this queue (${[...chain, next].join(' -> ')}): callers would overflow in a circle`]
    }
    chain.push(next)
    const result: { rows: Array<{ overflow: Overflow }>; rowCount: number } = await tx.query<{ overflow: Overflow }>(
      'SELECT overflow FROM queues WHERE id = $1 FOR SHARE',
      [next],
    )
    if (result.rowCount === 0) {
      if (next === overflow.queue_id) return [`body/overflow/queue_id "${next}" is not a queue: create it with PUT /api/admin/queues/${next} first`]
      // A broken link further down the chain was stored by another writer and cannot lead back here.
      return []
    }
    const target: Overflow = result.rows[0].overflow
    next = target.type === 'queue' ? target.queue_id : undefined
  }
  return []
}

/** Describes what still sends callers to a queue: IVR flows (latest version), other queues' overflow, live callers. */
async function queueUsers(tx: Queryable, queueId: string): Promise<string[]> {
  const users: string[] = []
  const flows = await tx.query<{ id: string; version: number; definition: IvrFlow }>(
    'SELECT DISTINCT ON (id) id, version, definition FROM ivr_flows ORDER BY id, version DESC',
  )
  for (const flow of flows.rows) {
    const nodes = Object.entries(flow.definition.nodes).filter(([, node]) => 'queue_id' in node && node.queue_id === queueId)
    if (nodes.length > 0) users.push(`IVR flow "${flow.id}" version ${flow.version} (nodes ${quoteList(nodes.map(([nodeId]) => nodeId))})`)
  }
  const overflowing = await tx.query<{ id: string }>(`SELECT id FROM queues WHERE overflow->>'type' = 'queue' AND overflow->>'queue_id' = $1 ORDER BY id`, [queueId])
  if (overflowing.rowCount > 0) users.push(`the overflow of queues ${quoteList(overflowing.rows.map((row) => row.id))}`)
  const callers = await tx.query<{ count: string | number }>(
    `SELECT count(*) AS count FROM queue_entries e JOIN calls c ON c.id = e.call_id
     WHERE e.queue_id = $1 AND (e.state = ANY($2) OR (e.state = 'connected' AND c.status = 'in_progress'))`,
    [queueId, LIVE_ENTRY_STATES],
  )
  const callerCount = Number(callers.rows[0].count)
  if (callerCount > 0) users.push(`${callerCount} callers waiting or connected`)
  return users
}

function toQueueReply(row: QueueRecord) {
  return {
    id: row.id,
    name: row.name,
    team_ids: row.team_ids,
    zendesk_group_id: toNumber(row.zendesk_group_id),
    max_wait_seconds: row.max_wait_seconds,
    overflow: row.overflow,
    hold_music_url: row.hold_music_url,
    announce_every_seconds: row.announce_every_seconds,
    ring_seconds: row.ring_seconds,
    required_skills: row.required_skills,
    callback_key: row.callback_key,
    created_at: toIso(row.created_at),
    updated_at: toIso(row.updated_at),
  }
}
