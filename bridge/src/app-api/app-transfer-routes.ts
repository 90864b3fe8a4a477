import { Type } from '@sinclair/typebox'
import type { FastifyInstance } from 'fastify'
import { coldTransfer } from '../transfers/cold-transfer'
import { CONSULT_ACTIONS, consultAction, loadLiveConsult, type ConsultAction } from '../transfers/consult-actions'
import { startConsult } from '../transfers/consult'
import { callNotLive } from '../transfers/errors'
import { loadAgentCall } from '../transfers/agent-call'
import { TARGET_TYPES, type TargetType } from '../transfers/targets'
import { VoiceControl } from '../vonage/voice-control'
import { adminValidatorCompiler, formatValidationErrors } from '../routing/admin-validation'
import type { AppContext } from './app-routes'

const ErrorReply = Type.Object({ code: Type.String(), message: Type.String() })
const CallParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 200 }) })
const TransferBody = Type.Object(
  {
    mode: Type.Union([Type.Literal('cold'), Type.Literal('consult')]),
    target: Type.Object(
      { type: Type.Union(TARGET_TYPES.map((type) => Type.Literal(type))), value: Type.String({ minLength: 1, maxLength: 100 }) },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
)
const TransferState = Type.Object({
  on_hold: Type.Boolean(),
  agent_muted: Type.Boolean(),
  consult: Type.Union([Type.Object({ id: Type.String(), state: Type.String(), target: Type.String() }), Type.Null()]),
})
const Errors = { 400: ErrorReply, 401: ErrorReply, 404: ErrorReply, 409: ErrorReply, 502: ErrorReply }

/** Transfers and consultations of the agent's live call, and the agents and queues to pick from. */
export async function appTransferRoutes(app: FastifyInstance, context: AppContext): Promise<void> {
  const voice = new VoiceControl(context.config.vonage)
  // A 400 names the field, the accepted values and the value sent, as the admin API's do.
  app.setValidatorCompiler(adminValidatorCompiler)
  app.setSchemaErrorFormatter(formatValidationErrors)
  // onRequest runs before validation, so a request without a session gets 401 whatever its body.
  app.addHook('onRequest', async (request) => void context.authenticate(request))

  app.get(
    '/app/api/transfer-targets',
    {
      schema: {
        response: {
          200: Type.Object({ agents: Type.Array(Type.Object({ id: Type.String(), name: Type.String() })), queues: Type.Array(Type.Object({ id: Type.String(), name: Type.String() })) }),
          401: ErrorReply,
        },
      },
    },
    async (request) => {
      const user = context.authenticate(request)
      const agents = await context.db.query<{ id: string; name: string }>(
        `SELECT id, name FROM agents WHERE state = 'available' AND zendesk_user_id IS DISTINCT FROM $1 ORDER BY name, id`,
        [user.zendeskUserId],
      )
      const queues = await context.db.query<{ id: string; name: string }>('SELECT id, name FROM queues ORDER BY name, id')
      return { agents: agents.rows, queues: queues.rows }
    },
  )

  app.get<{ Params: { id: string } }>('/app/api/calls/:id/transfer', { schema: { params: CallParams, response: { 200: TransferState, ...Errors } } }, async (request) => {
    const user = context.authenticate(request)
    return readTransferState(context, request.params.id, user.zendeskUserId)
  })

  app.post<{ Params: { id: string }; Body: { mode: 'cold' | 'consult'; target: { type: TargetType; value: string } } }>(
    '/app/api/calls/:id/transfer',
    { schema: { params: CallParams, body: TransferBody, response: { 200: TransferState, ...Errors } } },
    async (request) => {
      const user = context.authenticate(request)
      const transfer = { callId: request.params.id, zendeskUserId: user.zendeskUserId, target: request.body.target }
      if (request.body.mode === 'cold') {
        await coldTransfer(context.db, voice, context.config, transfer, request.log)
        return { on_hold: false, agent_muted: false, consult: null }
      }
      await startConsult(context.db, voice, context.config, transfer, request.log)
      return readTransferState(context, request.params.id, user.zendeskUserId)
    },
  )

  app.post<{ Params: { id: string }; Body: { action: ConsultAction } }>(
    '/app/api/calls/:id/consult',
    {
      schema: {
        params: CallParams,
        body: Type.Object({ action: Type.Union(CONSULT_ACTIONS.map((action) => Type.Literal(action))) }, { additionalProperties: false }),
        response: { 200: Type.Object({ state: Type.String() }), ...Errors },
      },
    },
    async (request) => {
      const user = context.authenticate(request)
      return consultAction(context.db, voice, context.config, { callId: request.params.id, zendeskUserId: user.zendeskUserId, action: request.body.action }, request.log)
    },
  )
}

async function readTransferState(context: AppContext, callId: string, zendeskUserId: number) {
  const call = await loadAgentCall(context.db, callId, zendeskUserId)
  if (call === undefined) throw callNotLive(callId)
  const consult = await loadLiveConsult(context.db, callId)
  const agentMuted = call.mutedLeg !== null && call.mutedLeg === call.agentLeg
  return { on_hold: call.onHold, agent_muted: agentMuted, consult: consult ? { id: consult.id, state: consult.state, target: consult.targetLabel } : null }
}
