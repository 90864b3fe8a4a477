import type { FastifyInstance, FastifyRequest, FastifySchemaValidationError } from 'fastify'
import { csvCell } from '../csv'
import { requireApiToken } from '../api/auth'
import { ErrorReply } from '../api/call-schemas'
import type { Database } from '../db/database'
import { BridgeError } from '../errors'
import { runReport, type Report, type ReportGroupBy, type ReportMetrics, type ReportParams } from './report-query'
import { ReportQuery, ReportReply } from './report-schemas'

const reportInputInvalid = (problems: string[]) =>
  new BridgeError('CENTRALINO_ERR_VALIDATION', 400, `Invalid request: ${problems.join('; ')}`)

/** Call center reports for team leads: `GET /api/reports` as JSON and `GET /api/reports.csv`. */
export async function reportRoutes(app: FastifyInstance, deps: { db: Database; apiToken: string }): Promise<void> {
  app.addHook('onRequest', requireApiToken(deps.apiToken))

  app.get<{ Querystring: ReportQuery }>(
    '/api/reports',
    { schema: { querystring: ReportQuery, response: { 200: ReportReply, 400: ErrorReply, 401: ErrorReply } }, attachValidation: true },
    async (request) => {
      const params = await parseParams(deps.db, request)
      return { ...describeParams(params), ...(await runReport(deps.db, params)) }
    },
  )

  app.get<{ Querystring: ReportQuery }>(
    '/api/reports.csv',
    { schema: { querystring: ReportQuery }, attachValidation: true },
    async (request, reply) => {
      const params = await parseParams(deps.db, request)
      const report = await runReport(deps.db, params)
      return reply
        .header('Content-Disposition', `attachment; filename="centralino-report-${params.groupBy}.csv"`)
        .type('text/csv; charset=utf-8')
        .send(reportCsv(params.groupBy, report))
    },
  )
}

/**
 * Checks what the JSON schema cannot: the time zone, known to both Intl and the database,
 * and the order of the dates. Schema errors are reworded here so that each one names the
 * parameter and the value that was sent.
 */
export async function parseParams(db: Database, request: FastifyRequest<{ Querystring: ReportQuery }>): Promise<ReportParams> {
  const raw = request.query as Record<string, unknown>
  if (request.validationError) {
    const problems = request.validationError.validation.map((error: FastifySchemaValidationError) => {
      const params = error.params as { missingProperty?: string; additionalProperty?: string; allowedValues?: unknown[] }
      const name = params.missingProperty ?? params.additionalProperty ?? error.instancePath.replace(/^\//, '')
      if (params.missingProperty) return `${name} is missing`
      if (params.additionalProperty) return `${name} is not a report parameter`
      if (params.allowedValues) return `${name} "${String(raw[name])}" must be one of ${params.allowedValues.join(', ')}`
      return `${name} "${String(raw[name])}" ${error.message ?? 'is invalid'}`
    })
    throw reportInputInvalid(problems)
  }
  const query = request.query
  const problems: string[] = []
  // Fastify's Ajv drops unknown properties instead of rejecting them, and a misspelled
  // parameter (groupby=hour) would otherwise give a report the client did not request.
  const sent = new URLSearchParams(request.url.split('?')[1] ?? '')
  for (const name of new Set(sent.keys())) {
    if (!(name in ReportQuery.properties)) problems.push(`${name} is not a report parameter`)
  }
  const from = new Date(query.from)
  const to = new Date(query.to)
  if (from.getTime() >= to.getTime()) problems.push(`from "${query.from}" must be before to "${query.to}"`)
  if (!(await isKnownTimeZone(db, query.time_zone))) {
    problems.push(`time_zone "${query.time_zone}" is not an IANA time zone such as Europe/Rome or UTC`)
  }
  if (problems.length > 0) throw reportInputInvalid(problems)
  return {
    from,
    to,
    timeZone: query.time_zone,
    groupBy: query.group_by,
    shortAbandonSeconds: query.short_abandon_seconds,
    serviceLevelSeconds: query.service_level_seconds,
  }
}

/**
 * PostgreSQL also accepts POSIX zones such as "UTC+2" (where + means west of Greenwich),
 * so a name must look like an IANA name, be known to Intl and be known to the database.
 */
async function isKnownTimeZone(db: Database, name: string): Promise<boolean> {
  if (!/^[A-Za-z]+(?:[/_-][A-Za-z0-9]+)*$/.test(name)) return false
  try {
    new Intl.DateTimeFormat('en', { timeZone: name })
  } catch {
    return false
  }
  const known = await db.query<{ count: string }>('SELECT count(*) AS count FROM pg_timezone_names WHERE name = $1', [name])
  return Number(known.rows[0].count) > 0
}

/** Returns the report's parameters as the JSON reply names them. */
export function describeParams(params: ReportParams) {
  return {
    from: params.from.toISOString(),
    to: params.to.toISOString(),
    time_zone: params.timeZone,
    group_by: params.groupBy,
    short_abandon_seconds: params.shortAbandonSeconds,
    service_level_seconds: params.serviceLevelSeconds,
  }
}

const METRIC_COLUMNS: Array<keyof ReportMetrics> = [
  'offered',
  'answered',
  'abandoned',
  'short_abandoned',
  'voicemails',
  'callbacks_requested',
  'callbacks_completed',
  'average_speed_of_answer_seconds',
  'average_handle_seconds',
  'service_level_percent',
  'occupancy_percent',
]

/** Formats the report as CSV (RFC 4180): one line per row, then the total with an empty key and the label `total`. */
export function reportCsv(groupBy: ReportGroupBy, report: Report): string {
  const lines = [[groupBy, 'label', ...METRIC_COLUMNS].join(',')]
  for (const row of report.rows) {
    lines.push([row.key, row.label, ...METRIC_COLUMNS.map((column) => row[column])].map(csvCell).join(','))
  }
  lines.push([null, 'total', ...METRIC_COLUMNS.map((column) => report.total[column])].map(csvCell).join(','))
  return `${lines.join('\r\n')}\r\n`
}

