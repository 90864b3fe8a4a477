import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { openDatabase, type Database } from '../../bridge/src/db/database'
import { migrate } from '../../bridge/src/db/migrate'
import { createLogger } from '../../bridge/src/logger'
import { runReport, type ReportGroupBy } from '../../bridge/src/reports/report-query'
import { registerCleanup } from './cleanup'

/** A year of calls: 2025, at about one call every 31.5 seconds for a million calls. */
export const REPORT_YEAR = { from: new Date('2025-01-01T00:00:00Z'), to: new Date('2026-01-01T00:00:00Z') }
const REPORT_MONTH = { from: new Date('2025-06-01T00:00:00+02:00'), to: new Date('2025-07-01T00:00:00+02:00') }
export const REPORT_CALLS = 1_000_000
const TIME_ZONE = 'Europe/Rome'
/** Each report runs this many times; the figure is the median. */
export const REPORT_RUNS = 3

export interface ReportTiming {
  range: 'month' | 'year'
  groupBy: ReportGroupBy
  /** Median of REPORT_RUNS runs, in milliseconds. */
  ms: number
  /** Calls the report counted (its total offered). */
  calls: number
}

export interface ReportFigures {
  calls: number
  offers: number
  queueEntries: number
  generateSeconds: number
  timings: ReportTiming[]
}

/**
 * Generates `callCount` inbound calls spread over 2025 with generate_series, with their
 * queue entries and offers, then times the report (Europe/Rome) for June and for the whole
 * year, grouped by queue and by hour. It runs in a temporary PGlite folder, or with
 * `databaseUrl` in a bench_reports_<pid> schema that is dropped afterwards.
 */
export async function runReportBench(databaseUrl?: string, callCount = REPORT_CALLS): Promise<ReportFigures> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'centralino-report-bench-'))
  const schema = databaseUrl ? `bench_reports_${process.pid}` : undefined
  const db = await openDatabase({ databaseUrl, dataDir, schema })
  const cleanup = registerCleanup(async () => {
    try {
      if (schema) await db.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)
      await db.close()
    } finally {
      rmSync(dataDir, { recursive: true, force: true })
    }
  })
  try {
    await migrate(db, createLogger('silent'))
    const started = performance.now()
    const counts = await generateCalls(db, callCount)
    const generateSeconds = (performance.now() - started) / 1000
    const timings: ReportTiming[] = []
    for (const [range, dates] of [['month', REPORT_MONTH], ['year', REPORT_YEAR]] as const) {
      for (const groupBy of ['queue', 'hour'] as const) {
        timings.push(await timeReport(db, range, dates, groupBy))
      }
    }
    return { ...counts, generateSeconds, timings }
  } finally {
    await cleanup()
  }
}

async function timeReport(db: Database, range: 'month' | 'year', dates: { from: Date; to: Date }, groupBy: ReportGroupBy): Promise<ReportTiming> {
  const samples: number[] = []
  let calls = 0
  for (let run = 0; run < REPORT_RUNS; run += 1) {
    const started = performance.now()
    const report = await runReport(db, { ...dates, timeZone: TIME_ZONE, groupBy, shortAbandonSeconds: 5, serviceLevelSeconds: 20 })
    samples.push(performance.now() - started)
    calls = report.total.offered
  }
  samples.sort((a, b) => a - b)
  return { range, groupBy, ms: samples[Math.floor(samples.length / 2)], calls }
}

/**
 * Fills the tables in three INSERT ... SELECT statements. Call g (0-based) starts at
 * 2025-01-01 + g × (year / callCount). By g % 100: 0-79 answered by agent g % 200 after
 * g % 60 seconds of waiting; 80-89 abandoned after g % 120 seconds, with an offer that was
 * cancelled; 90-94 voicemail; 95-97 missed with no queue; 98-99 a callback request, with
 * the call-back done for 98. Agents are in 10 teams and calls in 20 queues.
 */
async function generateCalls(db: Database, callCount: number): Promise<{ calls: number; offers: number; queueEntries: number }> {
  await db.query(`INSERT INTO teams (id, name, time_zone, wrap_up_seconds) SELECT 'team' || t, 'Team ' || t, 'Europe/Rome', 20 + t FROM generate_series(0, 9) AS t`)
  await db.query(`INSERT INTO agents (id, zendesk_user_id, name, team_id) SELECT 'agent' || a, 100000 + a, 'Agent ' || a, 'team' || (a % 10) FROM generate_series(0, 199) AS a`)
  await db.query(`INSERT INTO queues (id, name, team_ids) SELECT 'queue' || q, 'Queue ' || q, ARRAY['team' || (q % 10)] FROM generate_series(0, 19) AS q`)
  const secondsApart = (REPORT_YEAR.to.getTime() - REPORT_YEAR.from.getTime()) / 1000 / callCount
  await db.query(
    `INSERT INTO calls (id, direction, status, outcome, started_at, answered_at, ended_at, talk_seconds, queue_id, agent_id, language, from_e164)
     SELECT 'CON-' || g, 'inbound', 'completed', s.outcome, s.started_at,
            CASE WHEN s.outcome = 'answered' THEN s.started_at + make_interval(secs => g % 60) END,
            CASE WHEN s.outcome = 'answered' THEN s.started_at + make_interval(secs => g % 60 + 30 + (g * 7) % 600)
                 ELSE s.started_at + make_interval(secs => g % 120) END,
            CASE WHEN s.outcome = 'answered' THEN 30 + (g * 7) % 600 END,
            CASE WHEN g % 100 BETWEEN 95 AND 97 THEN NULL ELSE 'queue' || (g % 20) END,
            CASE WHEN s.outcome = 'answered' OR g % 100 = 98 THEN 'agent' || (g % 200) END,
            'it', '+39347' || lpad((g % 10000000)::text, 7, '0')
     FROM generate_series(0, $1 - 1) AS g
     CROSS JOIN LATERAL (SELECT
       $2::timestamptz + make_interval(secs => g * $3::float8) AS started_at,
       CASE WHEN g % 100 < 80 THEN 'answered' WHEN g % 100 < 90 THEN 'abandoned' WHEN g % 100 < 95 THEN 'voicemail'
            WHEN g % 100 < 98 THEN 'missed' ELSE 'abandoned' END AS outcome) AS s`,
    [callCount, REPORT_YEAR.from.toISOString(), secondsApart],
  )
  await db.query(
    `INSERT INTO queue_entries (call_id, queue_id, state, language, conversation_name, callback_number, enqueued_at)
     SELECT id, queue_id,
            CASE substring(id FROM 5)::int % 100 WHEN 98 THEN 'connected' WHEN 99 THEN 'callback' ELSE 'abandoned' END,
            'it', 'centralino-' || id,
            CASE WHEN substring(id FROM 5)::int % 100 >= 98 THEN from_e164 END, started_at
     FROM calls WHERE queue_id IS NOT NULL`,
  )
  await db.query(
    `INSERT INTO offers (call_id, agent_id, state, created_at, expires_at, ended_at)
     SELECT id, COALESCE(agent_id, 'agent' || (substring(id FROM 5)::int % 200)),
            CASE WHEN agent_id IS NOT NULL THEN 'ended' ELSE 'cancelled' END,
            COALESCE(answered_at, started_at) - interval '5 seconds', COALESCE(answered_at, started_at) + interval '15 seconds', ended_at
     FROM calls
     WHERE agent_id IS NOT NULL OR (outcome = 'abandoned' AND substring(id FROM 5)::int % 100 BETWEEN 80 AND 89)`,
  )
  await db.exec('ANALYZE')
  const count = async (table: string) => Number((await db.query<{ count: string }>(`SELECT count(*) AS count FROM ${table}`)).rows[0].count)
  return { calls: await count('calls'), offers: await count('offers'), queueEntries: await count('queue_entries') }
}
