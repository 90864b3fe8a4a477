import { Type } from '@sinclair/typebox'
import type { FastifyInstance } from 'fastify'
import type { Logger } from 'pino'
import type { Config } from '../config'
import type { Database } from '../db/database'
import { BridgeError } from '../errors'
import { getAgentState, setAgentState, SELF_SERVICE_STATES } from '../routing/agent-state'
import { ZendeskClient } from '../zendesk/client'
import { appApiDisabled, notAnAgent } from './app-errors'
import { APP_DIST_DIR, APP_LOCATIONS, registerAppAssets, sendAppPage, SOFTPHONE_PAGE, type AppLocation, type PageBootstrap } from './app-page'
import { appCallRoutes } from './app-call-routes'
import { appMonitorRoutes } from './app-monitor-routes'
import { appTransferRoutes } from './app-transfer-routes'
import { appIvrRoutes } from './app-ivr-routes'
import { appUserRoutes } from './app-user-routes'
import { AgentDevicesReply, appDeviceRoutes, devicesReply } from './app-device-routes'
import { readAgentDevices } from '../routing/devices'
import { appReportRoutes } from './app-report-routes'
import { EventHub } from './event-stream'
import { ZendeskDirectory } from './identity'
import { SessionTokens, type AppUser } from './session'
import { ZendeskTokenVerifier } from './zendesk-token'

export interface AppApiDeps {
  config: Config
  db: Database
  log: Logger
  /** Folder of the built app; the default is zendesk-app/dist of this repository. */
  distDir?: string
}

/** Everything a route handler of the app API needs. */
export interface AppContext {
  config: Config
  db: Database
  log: Logger
  tokens: SessionTokens
  directory: ZendeskDirectory
  hub: EventHub
  authenticate(request: { headers: Record<string, unknown> }): AppUser
}

const ErrorReply = Type.Object({ code: Type.String(), message: Type.String() })
const Me = Type.Object({
  user: Type.Object({ zendesk_user_id: Type.Integer(), name: Type.String(), is_lead: Type.Boolean(), is_admin: Type.Boolean(), account: Type.String() }),
  agent: Type.Union([Type.Intersect([Type.Object({ id: Type.String(), state: Type.String(), changed_at: Type.String() }), AgentDevicesReply]), Type.Null()]),
  capabilities: Type.Object({ outbound_calls: Type.Boolean(), call_control: Type.Boolean() }),
})

/**
 * The Zendesk app's side of the bridge, under /app: the app's pages (where Zendesk POSTs
 * its signed token), a session exchange, and the JSON and event-stream API the app calls
 * with that session. Without APP_SESSION_SECRET every route answers 503.
 */
export async function appApiRoutes(app: FastifyInstance, deps: AppApiDeps): Promise<void> {
  const distDir = deps.distDir ?? deps.config.app.distDir ?? APP_DIST_DIR
  const secret = deps.config.app.sessionSecret
  if (secret === undefined) {
    app.all('/app/*', async () => {
      throw appApiDisabled()
    })
    return
  }
  const zendesk = new ZendeskClient(deps.config.zendesk, deps.log)
  const verifier = new ZendeskTokenVerifier(
    { zendeskBaseUrl: deps.config.zendesk.baseUrl, appId: deps.config.zendesk.appId, installationId: deps.config.app.installationId, publicKey: deps.config.app.publicKey },
    zendesk,
    deps.log,
  )
  const tokens = new SessionTokens(secret, deps.config.app.sessionTtlSeconds, deps.config.app.recordingLinkSeconds)
  const hub = new EventHub(deps.db, deps.log)
  app.addHook('onClose', async () => hub.stop())
  const context: AppContext = {
    ...deps,
    tokens,
    directory: new ZendeskDirectory(zendesk, deps.config.app.leadRoleIds),
    hub,
    authenticate: (request) => tokens.verifySession(request as never),
  }

  // Zendesk POSTs the signed token as a form field; this parser lives in this plugin only.
  if (!app.hasContentTypeParser('application/x-www-form-urlencoded')) {
    app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 16_384 }, (_request, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(body as string)))
    })
  }
  registerAppAssets(app, distDir)

  const LocationParams = Type.Object({ location: Type.Union(APP_LOCATIONS.map((location) => Type.Literal(location))) })
  app.post<{ Params: { location: AppLocation }; Body: { token?: string } }>(
    '/app/:location',
    { schema: { params: LocationParams, body: Type.Object({ token: Type.Optional(Type.String({ maxLength: 8192 })) }) } },
    async (request, reply) => {
      const bootstrap: PageBootstrap = { location: request.params.location }
      try {
        if (!request.body.token) throw new BridgeError('CENTRALINO_ERR_APP_SIGNED_TOKEN', 401, 'Zendesk sent no signed token: turn on signed URLs for this location in manifest.json')
        const identity = await verifier.verify(request.body.token)
        const user = await context.directory.resolveUser(identity)
        const session = tokens.issueSession(user)
        bootstrap.session = { token: session.token, expires_at: session.expiresAt }
        request.log.info({ zendeskUserId: user.zendeskUserId, location: bootstrap.location, lead: user.isLead }, 'app session started')
      } catch (error) {
        if (!(error instanceof BridgeError)) throw error
        request.log.warn({ code: error.code, reason: error.message }, 'app session refused')
        bootstrap.error = { code: error.code, message: error.message }
      }
      return sendAppPage(reply, distDir, bootstrap)
    },
  )
  // The softphone's pop-out window carries no session in its page or URL: the top bar that opened it posts one to it.
  app.get('/app/softphone', async (_request, reply) => sendAppPage(reply, distDir, { location: SOFTPHONE_PAGE }))
  // A reload inside Zendesk comes without a token; the page then explains that the app must be reopened.
  app.get<{ Params: { location: AppLocation } }>('/app/:location', { schema: { params: LocationParams } }, async (request, reply) =>
    sendAppPage(reply, distDir, {
      location: request.params.location,
      error: { code: 'CENTRALINO_ERR_APP_SIGNED_TOKEN', message: 'This page was opened without a signed token from Zendesk' },
    }),
  )

  app.post('/app/api/session/refresh', { schema: { response: { 200: Type.Object({ token: Type.String(), expires_at: Type.String() }), 401: ErrorReply, 403: ErrorReply } } }, async (request) => {
    const current = context.authenticate(request)
    // The role is read again from Zendesk, so a downgraded or suspended agent loses access within one session lifetime.
    const user = await context.directory.resolveUser(current)
    const session = tokens.issueSession(user)
    return { token: session.token, expires_at: session.expiresAt }
  })

  app.get('/app/api/me', { schema: { response: { 200: Me, 401: ErrorReply } } }, async (request) => {
    const user = context.authenticate(request)
    const agent = await getAgentState(deps.db, user.zendeskUserId)
    const devices = agent ? await readAgentDevices(deps.db, user.zendeskUserId) : undefined
    return {
      user: { zendesk_user_id: user.zendeskUserId, name: user.name, is_lead: user.isLead, is_admin: user.isAdmin === true, account: user.account },
      agent: agent && devices ? { id: agent.agentId, state: agent.state, changed_at: agent.stateChangedAt.toISOString(), ...devicesReply(devices) } : null,
      // Click-to-call and call control need the user to be an agent with a device to ring.
      capabilities: { outbound_calls: agent !== undefined, call_control: agent !== undefined },
    }
  })

  const AgentStateReply = Type.Object({ state: Type.String(), changed: Type.Boolean(), changed_at: Type.String() })
  app.put<{ Body: { state: (typeof SELF_SERVICE_STATES)[number] } }>(
    '/app/api/agent/state',
    {
      schema: {
        body: Type.Object({ state: Type.Union(SELF_SERVICE_STATES.map((state) => Type.Literal(state))) }, { additionalProperties: false }),
        response: { 200: AgentStateReply, 400: ErrorReply, 401: ErrorReply, 404: ErrorReply },
      },
    },
    async (request) => {
      const user = context.authenticate(request)
      const result = await setAgentState(deps.db, user.zendeskUserId, request.body.state)
      if (!result) throw notAnAgent(user.zendeskUserId)
      if (result.changed) request.log.info({ zendeskUserId: user.zendeskUserId, state: result.status.state }, 'agent changed state in the app')
      return { state: result.status.state, changed: result.changed, changed_at: result.status.stateChangedAt.toISOString() }
    },
  )

  await appCallRoutes(app, context)
  await appMonitorRoutes(app, context)
  await app.register(appTransferRoutes, context)
  await app.register(appIvrRoutes, context)
  await appUserRoutes(app, context)
  await appDeviceRoutes(app, context)
  await appReportRoutes(app, context)
}
