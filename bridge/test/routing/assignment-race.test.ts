import { execFile } from 'node:child_process'
import path from 'node:path'
import { promisify } from 'node:util'
import { openDatabase, type Database } from '../../src/db/database'
import { migrate } from '../../src/db/migrate'
import { createLogger } from '../../src/logger'
import { seedAgent, seedQueue, seedTeam } from '../helpers/routing-seed'
import { TEST_DATABASE } from '../helpers/test-bridge'

const run = promisify(execFile)
const CALLS = 200
const AGENTS = 50
const DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
const schema = `race_${process.pid}_${Date.now()}`

// Two processes can only share a real PostgreSQL; PGlite belongs to one process.
const describeOnPostgres = TEST_DATABASE === 'postgres' ? describe : describe.skip

describeOnPostgres('assignment with two bridge processes', () => {
  let db: Database

  beforeAll(async () => {
    db = await openDatabase({ databaseUrl: DATABASE_URL, dataDir: '/nonexistent', schema })
    await migrate(db, createLogger('silent'))
    await seedTeam(db, 'rome', 'Europe/Rome', { start: '00:00', end: '24:00' }, 1)
    for (let index = 0; index < AGENTS; index += 1) await seedAgent(db, `agent${index}`, 'rome', 10_000 + index)
    await seedQueue(db, 'support', ['rome'])
    for (let index = 0; index < CALLS; index += 1) {
      const callId = `CON-race-${index}`
      await db.query(`INSERT INTO calls (id, language) VALUES ($1, 'it')`, [callId])
      await db.query(`INSERT INTO queue_entries (call_id, queue_id, language, conversation_name) VALUES ($1, 'support', 'it', $1)`, [callId])
    }
  })

  afterAll(async () => {
    await db.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)
    await db.close()
  })

  it('assigns every call exactly once and never double-offers an agent', async () => {
    const worker = path.join(__dirname, '..', 'helpers', 'race-worker.ts')
    const env = { ...process.env, RACE_DATABASE_URL: DATABASE_URL, RACE_SCHEMA: schema, NODE_OPTIONS: '' }
    const tsx = path.join(__dirname, '..', '..', '..', 'node_modules', '.bin', 'tsx')
    const results = await Promise.all([run(tsx, [worker], { env }), run(tsx, [worker], { env })])
    const made = results.map((result) => JSON.parse(result.stdout).offers as number)

    expect(made[0] + made[1]).toBe(CALLS)
    expect(made[0]).toBeGreaterThan(0)
    expect(made[1]).toBeGreaterThan(0)

    const perCall = await db.query<{ count: string }>(`SELECT count(*) AS count FROM offers GROUP BY call_id HAVING count(*) <> 1`)
    expect(perCall.rowCount).toBe(0)
    const unassigned = await db.query(`SELECT call_id FROM queue_entries WHERE state <> 'connected'`)
    expect(unassigned.rowCount).toBe(0)
    const overlapping = await db.query(
      `SELECT a.id FROM offers a JOIN offers b ON a.agent_id = b.agent_id AND a.id < b.id
       WHERE b.inserted_at < a.ended_at AND a.inserted_at < b.ended_at`,
    )
    expect(overlapping.rowCount).toBe(0)
  })
})
