import type { FastifyInstance } from 'fastify'
import type { AdminDeps } from './admin-common'
import { ErrorReply, RoutingRules } from './admin-schemas'
import { DEFAULT_RULES, type RoutingRule } from './model'

/** The routing_settings key of the routing rules. */
const RULES_KEY = 'rules'

/** Registers the routes of the routing rules, which apply in order when a caller reaches a queue. Until an admin stores a list, DEFAULT_RULES apply. */
export async function adminRuleRoutes(app: FastifyInstance, deps: AdminDeps): Promise<void> {
  const { db } = deps

  app.get('/api/admin/routing-rules', { schema: { response: { 200: RoutingRules, 401: ErrorReply } } }, async () => {
    const result = await db.query<{ value: RoutingRule[] }>('SELECT value FROM routing_settings WHERE key = $1', [RULES_KEY])
    return result.rows[0]?.value ?? DEFAULT_RULES
  })

  app.put<{ Body: RoutingRule[] }>(
    '/api/admin/routing-rules',
    { schema: { body: RoutingRules, response: { 200: RoutingRules, 400: ErrorReply, 401: ErrorReply } } },
    async (request) => {
      const result = await db.query<{ value: RoutingRule[] }>(
        `INSERT INTO routing_settings (key, value) VALUES ($1, $2::jsonb)
         ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()
         RETURNING value`,
        [RULES_KEY, JSON.stringify(request.body)],
      )
      return result.rows[0].value
    },
  )
}
