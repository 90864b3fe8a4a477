import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { openDatabase, type Database } from '../../bridge/src/db/database'
import { migrate } from '../../bridge/src/db/migrate'
import { createLogger } from '../../bridge/src/logger'
import { assignCalls } from '../../bridge/src/routing/dispatcher'
import { Router } from '../../bridge/src/routing/router'
import { summarizeLatencies, type LatencySummary } from './stats'

export const ROUTING_SIZE = { agents: 5000, queues: 200, teams: 20, calls: 500 }

export interface RoutingFigures {
  decision: LatencySummary
  assignment: LatencySummary
}

const ZONES = ['Europe/Rome', 'America/New_York', 'Asia/Manila', 'Europe/London', 'Australia/Sydney']

/**
 * Times the two routing steps on a directory of 5,000 agents in 20 teams and 200 queues:
 * the routing decision when a caller with an open ticket reaches a queue (rules, team
 * schedules, queue entry), and one assignment round that offers one waiting caller to
 * the longest-idle eligible agent.
 */
export async function runRoutingBench(databaseUrl?: string): Promise<RoutingFigures> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'centralino-routing-bench-'))
  const schema = databaseUrl ? `bench_routing_${process.pid}` : undefined
  const db = await openDatabase({ databaseUrl, dataDir, schema })
  try {
    await migrate(db, createLogger('silent'))
    await seedDirectory(db)
    const router = new Router(db, 'https://bridge.example.test', createLogger('silent'))
    const decision: number[] = []
    for (let index = 0; index < ROUTING_SIZE.calls; index += 1) {
      const callId = `CON-bench-${index}`
      await db.query(`INSERT INTO calls (id, language, from_e164) VALUES ($1, 'it', $2)`, [callId, `+3934700${String(index).padStart(5, '0')}`])
      const caller = { openTicket: { id: index, subject: null, status: 'open', priority: index % 4 === 0 ? 'urgent' : 'normal', assigneeId: 100_000 + (index % 5000), groupId: 1000 + (index % 200), organizationTags: index % 10 === 0 ? ['vip'] : [] } }
      const started = performance.now()
      await db.transaction((tx) => router.enterQueue(tx, { id: callId, language: 'it', fromE164: null, callerLegId: null, regionUrl: null }, `queue${index % 200}`, caller, true, 0))
      decision.push(performance.now() - started)
    }
    const assignment: number[] = []
    for (let index = 0; index < ROUTING_SIZE.calls; index += 1) {
      const started = performance.now()
      const offers = await assignCalls(db, new Date(Date.now() + index * 2000), 1)
      assignment.push(performance.now() - started)
      for (const offer of offers) {
        await db.query(`UPDATE offers SET state = 'ended', ended_at = now() WHERE id = $1`, [offer.offerId])
        await db.query(`UPDATE agents SET state = 'available', state_changed_at = now(), current_call_id = NULL WHERE id = $1`, [offer.agentId])
      }
    }
    return { decision: summarizeLatencies(decision), assignment: summarizeLatencies(assignment) }
  } finally {
    if (schema) await db.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)
    await db.close()
    rmSync(dataDir, { recursive: true, force: true })
  }
}

async function seedDirectory(db: Database): Promise<void> {
  const allDay = JSON.stringify([{ days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], start: '00:00', end: '24:00' }])
  for (let team = 0; team < ROUTING_SIZE.teams; team += 1) {
    await db.query(`INSERT INTO teams (id, name, time_zone, zendesk_group_id, shifts) VALUES ($1, $1, $2, $3, $4)`, [`team${team}`, ZONES[team % ZONES.length], 2000 + team, allDay])
  }
  await db.query(
    `INSERT INTO agents (id, zendesk_user_id, name, team_id, languages, skills, devices, state, state_changed_at)
     SELECT 'agent' || g, 100000 + g, 'Agent ' || g, 'team' || (g % $1), '{it,en}',
            CASE WHEN g % 3 = 0 THEN '{billing}'::text[] ELSE '{}'::text[] END,
            '[{"type":"phone","number":"+390200000000"}]', 'available', now() - make_interval(secs => g)
     FROM generate_series(0, $2 - 1) AS g`,
    [ROUTING_SIZE.teams, ROUTING_SIZE.agents],
  )
  await db.query(
    `INSERT INTO queues (id, name, team_ids, zendesk_group_id, required_skills, announce_every_seconds)
     SELECT 'queue' || q, 'Queue ' || q, ARRAY['team' || (q % $1), 'team' || ((q + 7) % $1)], 1000 + q,
            CASE WHEN q % 5 = 0 THEN '{billing}'::text[] ELSE '{}'::text[] END, 0
     FROM generate_series(0, $2 - 1) AS q`,
    [ROUTING_SIZE.teams, ROUTING_SIZE.queues],
  )
}
