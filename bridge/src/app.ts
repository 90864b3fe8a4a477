import Fastify, { type FastifyBaseLogger, type FastifyError, type FastifyInstance } from 'fastify'
import type { Logger } from 'pino'
import { callRoutes } from './api/call-routes'
import { appApiRoutes } from './app-api/app-routes'
import type { Config } from './config'
import type { Database } from './db/database'
import { pendingMigrations } from './db/migrate'
import { BridgeError } from './errors'
import type { EventStore } from './calls/event-store'
import { webhookRoutes, type RoutingHooks } from './vonage/webhook-routes'
import { reportRoutes } from './reports/report-routes'
import { routingAdminRoutes } from './routing/admin-routes'
import { ZendeskClient } from './zendesk/client'

export interface AppDeps {
  config: Config
  db: Database
  store: EventStore
  routing: RoutingHooks
  log: Logger
}

/** Builds the Fastify instance with every route; starting and stopping belong to server.ts. */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: deps.log as FastifyBaseLogger,
    // Vonage retries a webhook that takes longer than 5 s, so nothing may hang for long.
    requestTimeout: 10_000,
  })
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof BridgeError) {
      request.log.warn({ code: error.code, reason: error.message }, 'request rejected')
      return reply.code(error.statusCode).send({ code: error.code, message: error.message })
    }
    if (error.validation) {
      request.log.warn({ code: 'CENTRALINO_ERR_VALIDATION', reason: error.message }, 'request rejected')
      return reply.code(400).send({ code: 'CENTRALINO_ERR_VALIDATION', message: `Invalid request: ${error.message}` })
    }
    if (error.statusCode !== undefined && error.statusCode < 500) {
      return reply.code(error.statusCode).send({ code: error.code ?? 'CENTRALINO_ERR_REQUEST', message: error.message })
    }
    request.log.error({ err: error }, 'request failed')
    // Vonage repeats an answer request on 503 (and then tries the fallback URL), not on 500.
    const status = request.url.startsWith('/vonage/') ? 503 : 500
    return reply.code(status).send({ code: 'CENTRALINO_ERR_INTERNAL', message: 'Internal error; the request was not stored, try again' })
  })

  app.get('/healthz', async () => ({ status: 'ok' }))
  app.get('/readyz', async (_request, reply) => {
    try {
      await deps.db.query('SELECT 1')
      const pending = await pendingMigrations(deps.db)
      if (pending.length > 0) return reply.code(503).send({ status: 'migrating', pending })
      return { status: 'ready', database: deps.db.kind }
    } catch (error) {
      deps.log.warn({ err: error }, 'readiness check failed')
      return reply.code(503).send({ status: 'unavailable', reason: 'database unreachable' })
    }
  })

  await app.register(webhookRoutes, { config: deps.config, store: deps.store, routing: deps.routing })
  await app.register(callRoutes, { db: deps.db, apiToken: deps.config.apiToken })
  await app.register(routingAdminRoutes, { db: deps.db, apiToken: deps.config.apiToken, zendesk: new ZendeskClient(deps.config.zendesk, deps.log) })
  await app.register(appApiRoutes, { config: deps.config, db: deps.db, log: deps.log })
  await app.register(reportRoutes, { db: deps.db, apiToken: deps.config.apiToken })
  return app
}
