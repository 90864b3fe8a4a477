import { Type, type Static } from '@sinclair/typebox'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Queryable } from '../db/database'
import { BridgeError } from '../errors'
import { listLatestFlows, readFlowDetail, readFlowVersion, restoreVersion, storeVersion } from '../routing/admin-ivr-flows'
import { ErrorReply, FlowDetail, FlowList, FlowVersionCreated, FlowVersionReply, IdParams, RollbackBody, VersionParams } from '../routing/admin-schemas'
import { adminValidatorCompiler, formatValidationErrors } from '../routing/admin-validation'
import { flowNodeProblems, flowSchemaProblems, type FlowNodeProblem } from '../routing/ivr-validation'
import { loadQueue, loadTeams, openTeams } from '../routing/directory'
import { nextAfterInput, runIvr, type IvrOutcome } from '../routing/ivr-runtime'
import type { IvrFlow } from '../routing/model'
import type { Language } from '../i18n/language'
import type { CallerContext } from '../routing/caller-context'
import type { AppContext } from './app-routes'

const NodeProblem = Type.Object({
  node_id: Type.Union([Type.String(), Type.Null()], { description: 'the node the problem is on; null for the flow itself' }),
  field: Type.Union([Type.String(), Type.Null()]),
  code: Type.String({ description: 'empty_text, missing_link, missing_field, invalid_field, missing_start, missing_node, unknown_queue, unreachable or silent_loop' }),
  target: Type.String({ description: 'the missing node or queue, the loop, the language of an empty_text, or the value of a missing_link' }),
  message: Type.String(),
})
// A 400 from body validation has no problems list, only the message.
const ProblemsReply = Type.Object({ code: Type.String(), message: Type.String(), problems: Type.Optional(Type.Array(NodeProblem)) })
const DraftBody = Type.Object(
  { definition: Type.Unknown({ description: 'an IVR flow: { start, nodes }; checked against the IvrFlow schema so that each problem names its node' }) },
  { additionalProperties: false },
)
type DraftBody = Static<typeof DraftBody>
// Canvas coordinates in pixels. The bound keeps a stray value from placing a card where no admin can scroll to it.
const MAX_COORDINATE = 100_000
const Coordinate = Type.Number({ minimum: -MAX_COORDINATE, maximum: MAX_COORDINATE })
const Layout = Type.Record(Type.String(), Type.Object({ x: Coordinate, y: Coordinate }, { additionalProperties: false }), {
  description: 'node positions on the editor\'s canvas, { "<node id>": { x, y } }, where every id is a node of the definition',
})
const PublishBody = Type.Object(
  {
    definition: DraftBody.properties.definition,
    base_version: Type.Optional(Type.Integer({ minimum: 0, description: 'the newest version when the editor loaded the flow, 0 for a new flow; a publish over a newer version gets 409' })),
    layout: Type.Optional(Layout),
  },
  { additionalProperties: false },
)
type PublishBody = Static<typeof PublishBody>
const ValidateReply = Type.Object({ valid: Type.Boolean(), problems: Type.Array(NodeProblem) })
const QueueOptions = Type.Object({ queues: Type.Array(Type.Object({ id: Type.String(), name: Type.String() })) })
const denied = { 401: ErrorReply, 403: ErrorReply }
// The admin API's replies plus the layout, which only the editor reads. It is null for a version stored without one.
const StoredLayout = Type.Union([Layout, Type.Null()])
const LayoutReply = Type.Object({ layout: StoredLayout })
const EditorFlowDetail = Type.Intersect([FlowDetail, LayoutReply])
const EditorFlowVersion = Type.Intersect([FlowVersionReply, LayoutReply])

/**
 * Registers the IVR editor's routes for Zendesk admins, under /app/api/ivr-flows. They store and read
 * flows through the same functions as the ops token's admin API, and check drafts with its
 * schema validator and graph rules, so a flow the editor publishes is one the admin API accepts.
 */
export async function appIvrRoutes(app: FastifyInstance, context: AppContext): Promise<void> {
  app.setValidatorCompiler(adminValidatorCompiler)
  app.setSchemaErrorFormatter(formatValidationErrors)
  // onRequest runs before body validation, so a non-admin learns nothing about the body's checks.
  app.addHook('onRequest', async (request) => requireAdmin(context, request))
  const { db } = context

  app.get('/app/api/ivr-flows', { schema: { response: { 200: FlowList, ...denied } } }, async () => ({ flows: await listLatestFlows(db) }))

  app.get('/app/api/ivr-queues', { schema: { response: { 200: QueueOptions, ...denied } } }, async () => {
    const result = await db.query<{ id: string; name: string }>('SELECT id, name FROM queues ORDER BY id')
    return { queues: result.rows }
  })

  app.get<{ Params: IdParams }>('/app/api/ivr-flows/:id', { schema: { params: IdParams, response: { 200: EditorFlowDetail, 400: ErrorReply, 404: ErrorReply, ...denied } } }, async (request) =>
    readFlowDetail(db, request.params.id),
  )

  app.get<{ Params: VersionParams }>(
    '/app/api/ivr-flows/:id/versions/:version',
    { schema: { params: VersionParams, response: { 200: EditorFlowVersion, 400: ErrorReply, 404: ErrorReply, ...denied } } },
    async (request) => readFlowVersion(db, request.params.id, request.params.version),
  )

  app.post<{ Body: DraftBody }>('/app/api/ivr-flows/validate', { schema: { body: DraftBody, response: { 200: ValidateReply, 400: ErrorReply, ...denied } } }, async (request) => {
    const problems = await draftProblems(db, request.body.definition)
    return { valid: problems.length === 0, problems }
  })

  app.post<{ Params: IdParams; Body: PublishBody }>(
    '/app/api/ivr-flows/:id/versions',
    { schema: { params: IdParams, body: PublishBody, response: { 201: FlowVersionCreated, 400: ProblemsReply, 409: ErrorReply, ...denied } } },
    async (request, reply) => {
      const { id } = request.params
      const problems = await draftProblems(db, request.body.definition)
      if (problems.length > 0) return sendProblems(reply, `IVR flow "${id}" was not published`, problems)
      const flow = request.body.definition as IvrFlow
      const { layout } = request.body
      const unknownNodes = layout === undefined ? [] : Object.keys(layout).filter((nodeId) => !Object.hasOwn(flow.nodes, nodeId))
      if (unknownNodes.length > 0) {
        request.log.info({ flowId: id, unknownNodes }, 'IVR flow publish rejected: the layout has positions for nodes not in the definition')
        const list = unknownNodes.map((nodeId) => `"${nodeId}"`).join(', ')
        return reply.code(400).send({
          code: 'CENTRALINO_ERR_VALIDATION',
          message: `IVR flow "${id}" was not published: body/layout has positions for ${list}, which are not nodes of the definition: leave them out of the layout`,
        })
      }
      // storeVersion checks the graph again while it locks the queues, so a queue deleted meanwhile still stops the publish.
      const version = await storeVersion(db, id, async (tx) => {
        await requireNewest(tx, id, request.body.base_version)
        return { flow, layout, describe: (problem) => `definition/${problem}` }
      })
      request.log.info({ flowId: id, version, zendeskUserId: context.authenticate(request).zendeskUserId }, 'IVR flow version published from the app')
      return reply.code(201).send({ id, version })
    },
  )

  app.post<{ Params: IdParams; Body: RollbackBody }>(
    '/app/api/ivr-flows/:id/rollback',
    { schema: { params: IdParams, body: RollbackBody, response: { 201: FlowVersionCreated, 400: ErrorReply, 404: ErrorReply, 409: ErrorReply, ...denied } } },
    async (request, reply) => {
      const { id } = request.params
      const version = await restoreVersion(db, id, request.body.version)
      request.log.info({ flowId: id, version, restoredVersion: request.body.version, zendeskUserId: context.authenticate(request).zendeskUserId }, 'IVR flow version restored from the app')
      return reply.code(201).send({ id, version })
    },
  )

  app.post<{ Body: PreviewBody }>(
    '/app/api/ivr-flows/preview',
    { schema: { body: PreviewBody, response: { 200: PreviewReply, 400: ProblemsReply, 404: ErrorReply, ...denied } } },
    async (request, reply) => {
      const { definition, flow_id: flowId, version } = request.body
      if ((definition === undefined) === (flowId === undefined)) {
        return sendProblems(reply, 'send either "definition" (a draft) or "flow_id" (a published flow, with an optional "version")', [])
      }
      let flow: IvrFlow
      if (definition !== undefined) {
        const problems = await draftProblems(db, definition)
        if (problems.length > 0) return sendProblems(reply, 'The draft cannot be previewed until its problems are fixed', problems)
        flow = definition as IvrFlow
      } else {
        flow = version === undefined ? (await readFlowDetail(db, flowId as string)).definition : (await readFlowVersion(db, flowId as string, version)).definition
      }
      return previewFlow(db, flow, request.body)
    },
  )
}

/** Rejects anyone but a Zendesk admin with 403; a missing or expired session gets 401 from `authenticate`. */
function requireAdmin(context: AppContext, request: FastifyRequest): void {
  const user = context.authenticate(request)
  if (user.isAdmin !== true) {
    throw new BridgeError(
      'CENTRALINO_ERR_APP_ADMIN_ONLY',
      403,
      `Only Zendesk admins may view and edit IVR flows, and Zendesk user ${user.zendeskUserId} is not one: ask an admin to make the change`,
    )
  }
}

/** Rejects a publish with 409 when someone published a version after the one the editor loaded. */
async function requireNewest(tx: Queryable, id: string, baseVersion: number | undefined): Promise<void> {
  if (baseVersion === undefined) return
  const result = await tx.query<{ newest: number | null }>('SELECT max(version) AS newest FROM ivr_flows WHERE id = $1', [id])
  const newest = Number(result.rows[0]?.newest ?? 0)
  if (newest === baseVersion) return
  throw new BridgeError(
    'CENTRALINO_ERR_CONFLICT',
    409,
    `IVR flow "${id}" is at version ${newest}, but this draft was based on version ${baseVersion}: reload the flow and make the changes again`,
  )
}

/** Checks a draft against the IvrFlow schema, then its graph against the queues that exist. */
async function draftProblems(db: Queryable, definition: unknown): Promise<FlowNodeProblem[]> {
  const schemaProblems = flowSchemaProblems(definition)
  if (schemaProblems.length > 0) return schemaProblems
  const queues = await db.query<{ id: string }>('SELECT id FROM queues')
  return flowNodeProblems(definition as IvrFlow, new Set(queues.rows.map((row) => row.id)))
}

function sendProblems(reply: FastifyReply, headline: string, problems: FlowNodeProblem[]) {
  const details = problems.map((problem) => (problem.node_id === null ? problem.message : `node "${problem.node_id}": ${problem.message}`))
  const message = details.length === 0 ? `Invalid request: ${headline}` : `${headline}: ${details.join('; ')}`
  return reply.code(400).send({ code: 'CENTRALINO_ERR_VALIDATION', message, problems })
}

// Preview: the flow walked by the live runtime (runIvr, nextAfterInput) with simulated key presses.

const MAX_PREVIEW_KEYS = 30

const PreviewBody = Type.Object(
  {
    definition: Type.Optional(Type.Unknown({ description: 'a draft flow to walk; send this or flow_id' })),
    flow_id: Type.Optional(IdParams.properties.id),
    version: Type.Optional(Type.Integer({ minimum: 1, description: 'version of flow_id; the newest when left out' })),
    keys: Type.Array(Type.String({ pattern: '^[0-9*#]?$', description: 'one key 0-9, * or #, or "" for no key before the timeout' }), { maxItems: MAX_PREVIEW_KEYS, default: [] }),
    language: Type.Union([Type.Literal('it'), Type.Literal('en')], { default: 'it', description: 'language of the called number' }),
    business_hours: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('closed')], { description: 'answer of every business-hours node; the teams\' shifts at `at` when left out' })),
    at: Type.Optional(Type.String({ format: 'date-time', description: 'time of the simulated call; now when left out' })),
    caller: Type.Optional(
      Type.Object(
        { name: Type.Optional(Type.String({ minLength: 1, maxLength: 120 })), open_ticket_id: Type.Optional(Type.Integer({ minimum: 1 })) },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
)
type PreviewBody = Static<typeof PreviewBody>

const PreviewStep = Type.Object({
  node_id: Type.String(),
  node_type: Type.String(),
  heard: Type.Array(Type.String(), { description: 'what the caller hears at this node, in the call\'s language' }),
  key: Type.Union([Type.String(), Type.Null()], { description: 'the key press this node consumed; "" is no key before the timeout' }),
})
const PreviewReply = Type.Object({
  steps: Type.Array(PreviewStep),
  outcome: Type.Object({
    type: Type.Union(['input', 'queue', 'voicemail', 'callback', 'hangup'].map((type) => Type.Literal(type))),
    node_id: Type.Optional(Type.String({ description: 'the node waiting for a key press' })),
    queue_id: Type.Optional(Type.String()),
    use_ticket: Type.Optional(Type.Boolean()),
  }),
  language: Type.String({ description: 'the call\'s language at the end, after any language menu' }),
  unused_keys: Type.Array(Type.String(), { description: 'key presses left when the flow handed the caller on' }),
})
type PreviewReply = Static<typeof PreviewReply>

/**
 * Walks `flow` as a live call would: runIvr runs nodes until one waits for a key press, then
 * nextAfterInput takes the next simulated key. Business hours come from the request or
 * from the queues' teams at the simulated time, as the router reads them.
 */
async function previewFlow(db: Queryable, flow: IvrFlow, request: PreviewBody): Promise<PreviewReply> {
  const openQueues = await queuesOpenAt(db, flow, request)
  const caller: CallerContext = { name: request.caller?.name, openTicket: ticketOf(request.caller?.open_ticket_id) }
  const keys = [...request.keys]
  const steps: PreviewReply['steps'] = []
  let language: Language = request.language
  let ticketAccepted = true
  let nodeId = flow.start

  for (;;) {
    const step = runIvr(flow, nodeId, { callId: 'preview', language, caller, publicUrl: 'https://preview.invalid', isQueueOpen: (id) => openQueues.has(id), ticketAccepted })
    for (const visit of step.visited) {
      steps.push({ node_id: visit.nodeId, node_type: flow.nodes[visit.nodeId].type, heard: visit.actions.flatMap(spokenText), key: null })
    }
    if (step.outcome.type !== 'input' || keys.length === 0) return { steps, outcome: outcomeReply(step.outcome), language, unused_keys: keys }
    const key = keys.shift() as string
    steps[steps.length - 1].key = key
    const choice = nextAfterInput(flow.nodes[step.outcome.nodeId], key)
    if (choice.language) language = choice.language
    if (choice.ticketAccepted !== undefined) ticketAccepted = choice.ticketAccepted
    nodeId = choice.next
  }
}

async function queuesOpenAt(db: Queryable, flow: IvrFlow, request: PreviewBody): Promise<Set<string>> {
  const queueIds = new Set(Object.values(flow.nodes).flatMap((node) => ('queue_id' in node ? [node.queue_id] : [])))
  if (request.business_hours !== undefined) return request.business_hours === 'open' ? queueIds : new Set()
  const at = request.at === undefined ? new Date() : new Date(request.at)
  const open = new Set<string>()
  for (const queueId of queueIds) {
    const queue = await loadQueue(db, queueId)
    if (queue && openTeams(await loadTeams(db, queue.team_ids), at).length > 0) open.add(queueId)
  }
  return open
}

function ticketOf(id: number | undefined): CallerContext['openTicket'] {
  if (id === undefined) return undefined
  return { id, subject: null, status: 'open', priority: null, assigneeId: null, groupId: null, organizationTags: [] }
}

function spokenText(action: Record<string, unknown>): string[] {
  return action.action === 'talk' && typeof action.text === 'string' ? [action.text] : []
}

function outcomeReply(outcome: IvrOutcome): PreviewReply['outcome'] {
  switch (outcome.type) {
    case 'input':
      return { type: 'input', node_id: outcome.nodeId }
    case 'queue':
      return { type: 'queue', queue_id: outcome.queueId, use_ticket: outcome.useTicket }
    case 'callback':
      return { type: 'callback', queue_id: outcome.queueId }
    default:
      return { type: outcome.type }
  }
}
