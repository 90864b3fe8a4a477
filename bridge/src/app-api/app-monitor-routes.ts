import { Type } from '@sinclair/typebox'
import type { FastifyInstance } from 'fastify'
import { BridgeError } from '../errors'
import { MONITOR_MODES, startMonitoring, switchMonitoring, type MonitorMode } from '../monitoring/monitor'
import { VoiceControl } from '../vonage/voice-control'
import type { AppContext } from './app-routes'
import { readWallboard } from '../wallboard/wallboard'
import { isTimeZone } from '../time-zone'
import { issueClientToken } from '../softphone/client-token'


const ErrorReply = Type.Object({ code: Type.String(), message: Type.String() })
const Mode = Type.Union(MONITOR_MODES.map((mode) => Type.Literal(mode)))

/** Team leads' live monitoring: listen, whisper, barge or take over a call, and the audit of it. */
export async function appMonitorRoutes(app: FastifyInstance, context: AppContext): Promise<void> {
  const voice = new VoiceControl(context.config.vonage)

  app.post<{ Params: { id: string }; Body: { mode: MonitorMode } }>(
    '/app/api/calls/:id/monitor',
    {
      schema: {
        params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 200 }) }),
        body: Type.Object({ mode: Mode }, { additionalProperties: false }),
        response: { 201: Type.Object({ session_id: Type.String() }), 400: ErrorReply, 401: ErrorReply, 403: ErrorReply, 409: ErrorReply, 502: ErrorReply },
      },
    },
    async (request, reply) => {
      const user = context.authenticate(request)
      const started = await startMonitoring(
        context.db,
        voice,
        context.config,
        { callId: request.params.id, leadZendeskUserId: user.zendeskUserId, isLead: user.isLead, mode: request.body.mode },
        request.log,
      )
      return reply.code(201).send({ session_id: started.sessionId })
    },
  )

  app.put<{ Params: { id: string }; Body: { mode: MonitorMode } }>(
    '/app/api/monitoring/:id',
    {
      schema: {
        params: Type.Object({ id: Type.String({ pattern: '^\\d{1,18}$' }) }),
        body: Type.Object({ mode: Mode }, { additionalProperties: false }),
        response: { 204: Type.Null(), 400: ErrorReply, 401: ErrorReply, 404: ErrorReply, 409: ErrorReply },
      },
    },
    async (request, reply) => {
      const user = context.authenticate(request)
      await switchMonitoring(context.db, voice, { sessionId: request.params.id, leadZendeskUserId: user.zendeskUserId, mode: request.body.mode }, request.log)
      return reply.code(204).send()
    },
  )

  app.get<{ Querystring: { time_zone?: string; service_level_seconds: number } }>(
    '/app/api/wallboard',
    {
      schema: {
        querystring: Type.Object(
          { time_zone: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })), service_level_seconds: Type.Integer({ minimum: 1, maximum: 3600, default: 20 }) },
          { additionalProperties: false },
        ),
      },
    },
    async (request) => {
      const user = context.authenticate(request)
      if (!user.isLead) throw new BridgeError('CENTRALINO_ERR_WALLBOARD_FORBIDDEN', 403, 'Only team leads and admins may see the wallboard')
      const timeZone = request.query.time_zone ?? context.config.zendesk.timeZone ?? 'UTC'
      if (!isTimeZone(timeZone)) {
        throw new BridgeError('CENTRALINO_ERR_VALIDATION', 400, `time_zone "${timeZone}" is not an IANA time zone such as Europe/Rome`)
      }
      return readWallboard(context.db, new Date(), timeZone, request.query.service_level_seconds)
    },
  )

  app.post('/app/api/softphone/token', {
    schema: { response: { 200: Type.Object({ token: Type.String(), user: Type.String(), expires_at: Type.String() }), 401: ErrorReply, 409: ErrorReply, 502: ErrorReply } },
  }, async (request) => {
    const user = context.authenticate(request)
    const issued = await issueClientToken(context.db, context.config, user.zendeskUserId)
    request.log.info({ zendeskUserId: user.zendeskUserId, softphoneUser: issued.user }, 'softphone token issued')
    return { token: issued.token, user: issued.user, expires_at: issued.expiresAt }
  })

  app.get<{ Querystring: { limit: number } }>(
    '/app/api/monitoring/audit',
    { schema: { querystring: Type.Object({ limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }) }, { additionalProperties: false }) } },
    async (request) => {
      const user = context.authenticate(request)
      if (!user.isLead) throw new BridgeError('CENTRALINO_ERR_MONITOR_FORBIDDEN', 403, 'Only team leads and admins may read the monitoring audit')
      const rows = await context.db.query<{ session_id: string; call_id: string; lead_zendesk_user_id: string; action: string; mode: string; detail: string | null; at: Date }>(
        'SELECT session_id, call_id, lead_zendesk_user_id, action, mode, detail, at FROM monitor_audit ORDER BY at DESC, id DESC LIMIT $1',
        [request.query.limit],
      )
      return {
        entries: rows.rows.map((row) => ({
          session_id: String(row.session_id),
          call_id: row.call_id,
          lead_zendesk_user_id: Number(row.lead_zendesk_user_id),
          action: row.action,
          mode: row.mode,
          detail: row.detail,
          at: new Date(row.at).toISOString(),
        })),
      }
    },
  )
}
