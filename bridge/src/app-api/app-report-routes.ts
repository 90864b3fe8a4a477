import type { FastifyInstance, FastifyRequest } from 'fastify'
import { ErrorReply } from '../api/call-schemas'
import { BridgeError } from '../errors'
import { runReport, type ReportParams } from '../reports/report-query'
import { describeParams, parseParams, reportCsv } from '../reports/report-routes'
import { ReportQuery, ReportReply } from '../reports/report-schemas'
import type { AppContext } from './app-routes'

const reportsForbidden = () =>
  new BridgeError(
    'CENTRALINO_ERR_REPORTS_FORBIDDEN',
    403,
    'Only team leads and admins may see call center reports: a Zendesk admin can give you a role listed in APP_LEAD_ROLE_IDS',
  )

type ReportRequest = FastifyRequest<{ Querystring: ReportQuery }>

/**
 * Call center reports in the Zendesk app, for team leads and admins: `GET /app/api/reports`
 * and `GET /app/api/reports.csv` take the parameters of `GET /api/reports` and return the same
 * figures, but under an app session instead of the ops API token.
 */
export async function appReportRoutes(app: FastifyInstance, context: AppContext): Promise<void> {
  app.get<{ Querystring: ReportQuery }>(
    '/app/api/reports',
    { schema: { querystring: ReportQuery, response: { 200: ReportReply, 400: ErrorReply, 401: ErrorReply, 403: ErrorReply } }, attachValidation: true },
    async (request) => {
      const params = await authorizeReport(context, request)
      const report = await runReport(context.db, params)
      return { ...describeParams(params), ...report }
    },
  )

  app.get<{ Querystring: ReportQuery }>(
    '/app/api/reports.csv',
    { schema: { querystring: ReportQuery }, attachValidation: true },
    async (request, reply) => {
      const params = await authorizeReport(context, request)
      const report = await runReport(context.db, params)
      return reply
        .header('Content-Disposition', `attachment; filename="centralino-report-${params.groupBy}.csv"`)
        .type('text/csv; charset=utf-8')
        .send(reportCsv(params.groupBy, report))
    },
  )
}

/**
 * Checks the session and the lead role before the parameters, so that an agent learns that
 * reports are for leads whatever they sent, then logs the request under the user's id.
 */
async function authorizeReport(context: AppContext, request: ReportRequest): Promise<ReportParams> {
  const user = context.authenticate(request)
  if (!user.isLead) throw reportsForbidden()
  const params = await parseParams(context.db, request)
  request.log.info(
    { zendeskUserId: user.zendeskUserId, groupBy: params.groupBy, from: params.from.toISOString(), to: params.to.toISOString(), timeZone: params.timeZone },
    'app report requested',
  )
  return params
}
