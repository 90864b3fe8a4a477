import type { FastifyInstance } from 'fastify'
import type { Queryable } from '../db/database'
import { concurrentChange, ivrFlowNotFound, routingInputInvalid } from '../errors'
import { sqlStateOf, toIso, UNIQUE_VIOLATION, type AdminDeps } from './admin-common'
import { ErrorReply, FlowDetail, FlowList, FlowVersionCreated, FlowVersionReply, IdParams, readReplies, RollbackBody, VersionParams } from './admin-schemas'
import { flowProblems } from './ivr-validation'
import { IvrFlow } from './model'

/** Node positions of a version on the IVR editor's canvas, by node id. */
export type FlowLayout = Record<string, { x: number; y: number }>

interface FlowRow {
  id: string
  version: number
  definition: IvrFlow
  layout: FlowLayout | null
  created_at: Date
}

/** A version for `storeVersion` to store: the flow, and the editor's node positions when it sent them. */
interface VersionToStore {
  flow: IvrFlow
  layout?: FlowLayout | null
  describe: (problem: string) => string
}

const createdReplies = { 201: FlowVersionCreated, 400: ErrorReply, 401: ErrorReply, 404: ErrorReply, 409: ErrorReply }

/**
 * Registers the IVR flow routes. Every save stores a new version and versions are never
 * changed, so a call keeps the version it started with. A rollback stores a copy of an
 * old version as the newest.
 */
export async function adminIvrFlowRoutes(app: FastifyInstance, deps: AdminDeps): Promise<void> {
  const { db } = deps

  app.post<{ Params: IdParams; Body: IvrFlow }>(
    '/api/admin/ivr-flows/:id/versions',
    { schema: { params: IdParams, body: IvrFlow, response: createdReplies } },
    async (request, reply) => {
      const { id } = request.params
      const version = await storeVersion(db, id, async () => ({ flow: request.body, describe: (problem) => `body/${problem}` }))
      request.log.info({ flowId: id, version }, 'IVR flow version stored')
      return reply.code(201).send({ id, version })
    },
  )

  app.post<{ Params: IdParams; Body: RollbackBody }>(
    '/api/admin/ivr-flows/:id/rollback',
    { schema: { params: IdParams, body: RollbackBody, response: createdReplies } },
    async (request, reply) => {
      const { id } = request.params
      const restored = request.body.version
      const version = await restoreVersion(db, id, restored)
      request.log.info({ flowId: id, version, restoredVersion: restored }, 'IVR flow version restored')
      return reply.code(201).send({ id, version })
    },
  )

  app.get('/api/admin/ivr-flows', { schema: { response: { 200: FlowList, 401: ErrorReply } } }, async () => ({ flows: await listLatestFlows(db) }))

  app.get<{ Params: IdParams }>('/api/admin/ivr-flows/:id', { schema: { params: IdParams, response: readReplies(FlowDetail) } }, async (request) =>
    readFlowDetail(db, request.params.id),
  )

  app.get<{ Params: VersionParams }>(
    '/api/admin/ivr-flows/:id/versions/:version',
    { schema: { params: VersionParams, response: readReplies(FlowVersionReply) } },
    async (request) => readFlowVersion(db, request.params.id, request.params.version),
  )
}

/** Returns the newest version of every flow. The Zendesk app's IVR editor reads flows through these functions too. */
export async function listLatestFlows(db: Queryable) {
  const result = await db.query<FlowRow>('SELECT DISTINCT ON (id) id, version, definition, layout, created_at FROM ivr_flows ORDER BY id, version DESC')
  return result.rows.map(toFlowReply)
}

/** Returns a flow's newest version with the list of its versions and the numbers that start in it. */
export async function readFlowDetail(db: Queryable, id: string) {
  const versions = await db.query<FlowRow>('SELECT id, version, definition, layout, created_at FROM ivr_flows WHERE id = $1 ORDER BY version DESC', [id])
  if (versions.rowCount === 0) throw ivrFlowNotFound(id)
  const numbers = await db.query<{ e164: string }>('SELECT e164 FROM phone_numbers WHERE flow_id = $1 ORDER BY e164', [id])
  return {
    ...toFlowReply(versions.rows[0]),
    versions: versions.rows.map((row) => ({ version: row.version, created_at: toIso(row.created_at) })),
    numbers: numbers.rows.map((row) => row.e164),
  }
}

export async function readFlowVersion(db: Queryable, id: string, version: number) {
  const result = await db.query<FlowRow>('SELECT id, version, definition, layout, created_at FROM ivr_flows WHERE id = $1 AND version = $2', [id, version])
  if (result.rowCount === 0) throw ivrFlowNotFound(id, version)
  return toFlowReply(result.rows[0])
}

/** Stores a copy of an old version, with its layout, as the flow's newest version and returns the new version number. */
export async function restoreVersion(db: AdminDeps['db'], id: string, restored: number): Promise<number> {
  return storeVersion(db, id, async (tx) => {
    const old = await tx.query<FlowRow>('SELECT definition, layout FROM ivr_flows WHERE id = $1 AND version = $2', [id, restored])
    if (old.rowCount === 0) throw ivrFlowNotFound(id, restored)
    // A queue that the old version sends callers to may have been deleted since.
    return { flow: old.rows[0].definition, layout: old.rows[0].layout, describe: (problem) => `body/version ${restored} cannot be restored: ${problem}` }
  })
}

/**
 * Checks a flow against its graph rules and the queues that exist, then stores it as the
 * flow's next version in the same transaction. Returns the new version number. The layout
 * is stored as given, so the caller checks that its node ids are in the flow.
 */
export async function storeVersion(
  db: AdminDeps['db'],
  id: string,
  load: (tx: Queryable) => Promise<VersionToStore>,
): Promise<number> {
  try {
    return await db.transaction(async (tx) => {
      const { flow, layout, describe } = await load(tx)
      const referenced = Object.values(flow.nodes).flatMap((node) => ('queue_id' in node ? [node.queue_id] : []))
      // FOR SHARE keeps these queues from being deleted until the version is stored.
      const queues = await tx.query<{ id: string }>('SELECT id FROM queues WHERE id = ANY($1) FOR SHARE', [referenced])
      const problems = flowProblems(flow, new Set(queues.rows.map((row) => row.id)))
      if (problems.length > 0) throw routingInputInvalid(problems.map(describe))
      const inserted = await tx.query<{ version: number }>(
        `INSERT INTO ivr_flows (id, version, definition, layout)
         SELECT $1, coalesce(max(version), 0) + 1, $2::jsonb, $3::jsonb FROM ivr_flows WHERE id = $1
         RETURNING version`,
        [id, JSON.stringify(flow), layout ? JSON.stringify(layout) : null],
      )
      return inserted.rows[0].version
    })
  } catch (error) {
    // Two versions saved at once got the same number, so the second one was rolled back.
    if (sqlStateOf(error) === UNIQUE_VIOLATION) throw concurrentChange(`IVR flow "${id}"`)
    throw error
  }
}

// The admin API's reply schemas have no layout field, so Fastify leaves it out of their replies.
function toFlowReply(row: FlowRow) {
  return { id: row.id, version: row.version, created_at: toIso(row.created_at), definition: row.definition, layout: row.layout }
}
