import type { ReportGroupBy, ReportMetrics, ReportRow } from '@centralino/shared'
import type { Database, Queryable } from '../db/database'

export type { ReportGroupBy, ReportMetrics, ReportRow }

export interface ReportParams {
  from: Date
  to: Date
  /** IANA zone, already checked by the caller: hours of day are counted in it. */
  timeZone: string
  groupBy: ReportGroupBy
  shortAbandonSeconds: number
  serviceLevelSeconds: number
}

export interface Report {
  rows: ReportRow[]
  total: ReportMetrics
}

/**
 * The column each grouping puts a call under, so every call lands in exactly one row. Only
 * the hour uses the time zone, which is then the last parameter ($5), because PostgreSQL
 * rejects a parameter that the statement does not use.
 */
const GROUP_KEYS: Record<ReportGroupBy, string> = {
  queue: 'COALESCE(e.queue_id, c.queue_id)',
  team: 'a.team_id',
  agent: 'c.agent_id',
  hour: 'extract(hour FROM c.started_at AT TIME ZONE $5)::int',
}

/**
 * The column each grouping puts an offer under, for staffed agent-hours: the queue of the
 * offered call, the team of the offered agent, the offered agent, or the hour of the offer.
 */
const STAFFED_KEYS: Record<ReportGroupBy, string> = {
  queue: 'COALESCE(e.queue_id, c.queue_id)',
  team: 'oa.team_id',
  agent: 'o.agent_id',
  hour: 'extract(hour FROM o.created_at AT TIME ZONE $3)::int',
}

const REPORT_CALLS_WHERE = `c.direction = 'inbound' AND c.started_at >= $1 AND c.started_at < $2`

/**
 * Sums and counts per group, not averages, so that the total row is the sum of the rows.
 * date_part returns float8, which PostgreSQL adds up much faster than the numeric of extract.
 */
function metricsSql(groupBy: ReportGroupBy): string {
  return `
SELECT group_key,
       count(*) AS offered,
       count(*) FILTER (WHERE outcome = 'answered') AS answered,
       count(*) FILTER (WHERE is_abandon) AS abandoned,
       count(*) FILTER (WHERE is_short_abandon) AS short_abandoned,
       count(*) FILTER (WHERE outcome = 'voicemail') AS voicemails,
       count(*) FILTER (WHERE callback_requested) AS callbacks_requested,
       count(*) FILTER (WHERE callback_completed) AS callbacks_completed,
       sum(answer_seconds) FILTER (WHERE outcome = 'answered') AS answer_seconds,
       count(answer_seconds) FILTER (WHERE outcome = 'answered') AS answer_count,
       sum(talk_seconds + wrap_up_seconds) FILTER (WHERE outcome = 'answered') AS handle_seconds,
       count(talk_seconds) FILTER (WHERE outcome = 'answered') AS handle_count,
       count(*) FILTER (WHERE outcome = 'answered' AND answer_seconds <= $4) AS answered_in_time,
       count(*) FILTER (WHERE outcome IS NOT NULL AND NOT is_short_abandon) AS service_level_calls
FROM (
  SELECT r.*,
         -- A call with no end time is never a short abandon.
         r.outcome = 'abandoned' AND NOT r.callback_requested AND COALESCE(r.call_seconds < $3, false) AS is_short_abandon,
         r.outcome = 'abandoned' AND NOT r.callback_requested AND NOT COALESCE(r.call_seconds < $3, false) AS is_abandon
  FROM (
    SELECT c.outcome, c.talk_seconds,
           ${GROUP_KEYS[groupBy]} AS group_key,
           date_part('epoch', c.answered_at - c.started_at) AS answer_seconds,
           date_part('epoch', c.ended_at - c.started_at) AS call_seconds,
           COALESCE(t.wrap_up_seconds, 0) AS wrap_up_seconds,
           e.callback_number IS NOT NULL AS callback_requested,
           -- An agent who answers the call-back offer moves the entry to connected.
           e.callback_number IS NOT NULL AND e.state = 'connected' AS callback_completed
    FROM calls c
    LEFT JOIN queue_entries e ON e.call_id = c.id
    LEFT JOIN agents a ON a.id = c.agent_id
    LEFT JOIN teams t ON t.id = a.team_id
    WHERE ${REPORT_CALLS_WHERE}
  ) r
) classified
GROUP BY group_key
ORDER BY group_key NULLS LAST`
}

/**
 * Counts the distinct (agent, local clock hour) pairs among the offers for the report's
 * calls, per group and once for the total. The total is its own DISTINCT because one
 * agent-hour can serve several queues or hours of the day.
 */
function staffedSql(groupBy: ReportGroupBy): string {
  const joins = {
    queue: 'LEFT JOIN queue_entries e ON e.call_id = c.id',
    team: 'LEFT JOIN agents oa ON oa.id = o.agent_id',
    agent: '',
    hour: '',
  }[groupBy]
  return `
WITH agent_hours AS (
  SELECT DISTINCT ${STAFFED_KEYS[groupBy]} AS group_key, o.agent_id,
         floor(date_part('epoch', o.created_at AT TIME ZONE $3) / 3600) AS hour_number
  FROM calls c
  JOIN offers o ON o.call_id = c.id
  ${joins}
  WHERE ${REPORT_CALLS_WHERE}
)
SELECT group_key, false AS is_total, count(*) AS agent_hours FROM agent_hours GROUP BY group_key
UNION ALL
SELECT NULL, true, count(*) FROM (SELECT DISTINCT agent_id, hour_number FROM agent_hours) AS all_agent_hours`
}

type SqlRow = Record<string, string | number | null>

/** Per-group sums and counts as the queries return them, before averages and percentages. */
interface Sums {
  offered: number
  answered: number
  abandoned: number
  short_abandoned: number
  voicemails: number
  callbacks_requested: number
  callbacks_completed: number
  answer_seconds: number
  answer_count: number
  handle_seconds: number
  handle_count: number
  answered_in_time: number
  service_level_calls: number
  agent_hours: number
}

const SUM_NAMES = [
  'offered', 'answered', 'abandoned', 'short_abandoned', 'voicemails', 'callbacks_requested', 'callbacks_completed',
  'answer_seconds', 'answer_count', 'handle_seconds', 'handle_count', 'answered_in_time', 'service_level_calls', 'agent_hours',
] as const

/**
 * Runs one report statement with JIT compilation off. On a month of the million-call year
 * of scripts/bench/report-bench.ts, EXPLAIN ANALYZE on PostgreSQL 15 timed the metrics
 * query at 740 ms with JIT and 340 ms without.
 */
async function queryReport<Row>(db: Database, text: string, values: unknown[]): Promise<Row[]> {
  return db.transaction(async (tx) => {
    await tx.query(`SET LOCAL jit = off`)
    return (await tx.query<Row>(text, values)).rows
  })
}

/**
 * Runs the report for `params` on `db`, with the metrics and staffed queries in parallel on
 * PostgreSQL.
 * NOTE: the two queries run in separate transactions, so a call stored between them can be
 * in one and not the other, which moves occupancy by at most that call's offers.
 */
export async function runReport(db: Database, params: ReportParams): Promise<Report> {
  const range = [params.from.toISOString(), params.to.toISOString()]
  const metricsValues = [...range, params.shortAbandonSeconds, params.serviceLevelSeconds, ...(params.groupBy === 'hour' ? [params.timeZone] : [])]
  const [metrics, staffed] = await Promise.all([
    queryReport<SqlRow>(db, metricsSql(params.groupBy), metricsValues),
    queryReport<SqlRow & { is_total: boolean }>(db, staffedSql(params.groupBy), [...range, params.timeZone]),
  ])
  const hoursByKey = new Map(staffed.filter((row) => !row.is_total).map((row) => [keyOf(row.group_key), Number(row.agent_hours)]))
  const totalHours = Number(staffed.find((row) => row.is_total)?.agent_hours ?? 0)

  const groups = metrics.map((row) => {
    const key = keyOf(row.group_key)
    return { key, sums: toSums({ ...row, agent_hours: hoursByKey.get(key) ?? 0 }) }
  })
  const total = toSums({ agent_hours: totalHours })
  for (const { sums } of groups) {
    for (const name of SUM_NAMES) if (name !== 'agent_hours') total[name] += sums[name]
  }
  const labels = await loadLabels(db, params.groupBy, groups.map((group) => group.key))
  return {
    rows: groups.map(({ key, sums }) => ({ key, label: labelOf(params.groupBy, key, labels), ...toMetrics(sums) })),
    total: toMetrics(total),
  }
}

function keyOf(value: string | number | null | undefined): string | null {
  return value === null || value === undefined ? null : String(value)
}

function toSums(row: SqlRow): Sums {
  const sums = {} as Sums
  for (const name of SUM_NAMES) sums[name] = Number(row[name] ?? 0)
  return sums
}

function toMetrics(sums: Sums): ReportMetrics {
  return {
    offered: sums.offered,
    answered: sums.answered,
    abandoned: sums.abandoned,
    short_abandoned: sums.short_abandoned,
    voicemails: sums.voicemails,
    callbacks_requested: sums.callbacks_requested,
    callbacks_completed: sums.callbacks_completed,
    average_speed_of_answer_seconds: ratio(sums.answer_seconds, sums.answer_count),
    average_handle_seconds: ratio(sums.handle_seconds, sums.handle_count),
    service_level_percent: ratio(100 * sums.answered_in_time, sums.service_level_calls),
    occupancy_percent: ratio(100 * sums.handle_seconds, sums.agent_hours * 3600),
  }
}

/** Divides and rounds to one decimal place, or returns null when the denominator is zero. */
function ratio(numerator: number, denominator: number): number | null {
  return denominator > 0 ? round(numerator / denominator) : null
}

/** Rounds to one decimal place. */
function round(value: number): number {
  return Math.round(value * 10) / 10
}

async function loadLabels(db: Queryable, groupBy: ReportGroupBy, keys: Array<string | null>): Promise<Map<string, string>> {
  const table = { queue: 'queues', team: 'teams', agent: 'agents', hour: undefined }[groupBy]
  const ids = keys.filter((key): key is string => key !== null)
  if (table === undefined || ids.length === 0) return new Map()
  const result = await db.query<{ id: string; name: string }>(`SELECT id, name FROM ${table} WHERE id = ANY($1)`, [ids])
  return new Map(result.rows.map((row) => [row.id, row.name]))
}

function labelOf(groupBy: ReportGroupBy, key: string | null, labels: Map<string, string>): string {
  if (groupBy === 'hour') return key === null ? 'no start time' : `${key.padStart(2, '0')}:00`
  if (key === null) return { queue: 'no queue', team: 'no team', agent: 'no agent' }[groupBy]
  // A deleted queue, team or agent keeps its id in old calls.
  return labels.get(key) ?? key
}
