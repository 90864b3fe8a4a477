import type { FastifyInstance } from 'fastify'
import { requireApiToken } from '../api/auth'
import { adminAgentRoutes } from './admin-agents'
import type { AdminDeps } from './admin-common'
import { adminIvrFlowRoutes } from './admin-ivr-flows'
import { adminNumberRoutes } from './admin-numbers'
import { adminQueueRoutes } from './admin-queues'
import { adminRuleRoutes } from './admin-rules'
import { adminTeamRoutes } from './admin-teams'
import { adminValidatorCompiler, formatValidationErrors } from './admin-validation'

export type { AdminDeps }

/**
 * Registers the routing admin API under /api/admin: teams, agents, queues, IVR flows,
 * numbers and routing rules. It requires the read API's bearer token. The validator and
 * the error formatter set here apply to these routes only.
 */
export async function routingAdminRoutes(app: FastifyInstance, deps: AdminDeps): Promise<void> {
  app.addHook('onRequest', requireApiToken(deps.apiToken))
  app.setValidatorCompiler(adminValidatorCompiler)
  app.setSchemaErrorFormatter(formatValidationErrors)

  await adminTeamRoutes(app, deps)
  await adminAgentRoutes(app, deps)
  await adminQueueRoutes(app, deps)
  await adminIvrFlowRoutes(app, deps)
  await adminNumberRoutes(app, deps)
  await adminRuleRoutes(app, deps)
}
