import { readWallboard } from '../../src/wallboard/wallboard'
import { seedAgent, seedQueue, seedTeam } from '../helpers/routing-seed'
import { startTestBridge, type TestBridge } from '../helpers/test-bridge'

let bridge: TestBridge
// 10:00 in Rome; the Rome day started at 2026-12-03T23:00Z.
const NOW = new Date('2026-12-04T09:00:00Z')

beforeAll(async () => {
  bridge = await startTestBridge({ workers: false })
  const db = bridge.bridge.db
  await seedTeam(db, 'rome', 'Europe/Rome', { start: '00:00', end: '24:00' }, 1)
  await seedAgent(db, 'anna', 'rome', 1, 'on_call', new Date('2026-12-04T08:58:00Z'))
  await seedAgent(db, 'bruno', 'rome', 2, 'available', new Date('2026-12-04T08:30:00Z'))
  await seedAgent(db, 'carla', 'rome', 3, 'away', new Date('2026-12-04T08:59:30Z'))
  await seedQueue(db, 'support', ['rome'])
  const calls: Array<[string, string, string | null, string | null, string]> = [
    // id, started_at, answered_at, agent, status
    ['c1', '2026-12-04T08:00:00Z', '2026-12-04T08:00:10Z', 'anna', 'completed'], // answered in 10 s
    ['c2', '2026-12-04T08:10:00Z', '2026-12-04T08:10:45Z', 'bruno', 'completed'], // answered in 45 s
    ['c3', '2026-12-04T08:20:00Z', null, null, 'completed'], // abandoned
    ['c4', '2026-12-04T08:57:00Z', '2026-12-04T08:58:00Z', 'anna', 'in_progress'], // answered in 60 s, still talking
    ['c5', '2026-12-03T23:30:00Z', '2026-12-03T23:30:05Z', 'anna', 'completed'], // 00:30 today in Rome, yesterday in UTC
    ['c6', '2026-12-04T08:59:00Z', null, null, 'in_progress'], // waiting now
  ]
  for (const [id, started, answered, agent, status] of calls) {
    await db.query(`INSERT INTO calls (id, queue_id, started_at, answered_at, agent_id, status) VALUES ($1, 'support', $2, $3, $4, $5)`, [id, started, answered, agent, status])
  }
  await db.query(`INSERT INTO queue_entries (call_id, queue_id, language, conversation_name, enqueued_at) VALUES ('c6', 'support', 'it', 'c6', '2026-12-04T08:59:00Z')`)
})

afterAll(async () => {
  await bridge.close()
})

describe('wallboard', () => {
  it('counts today in the chosen time zone', async () => {
    const board = await readWallboard(bridge.bridge.db, NOW, 'Europe/Rome', 20)
    expect(board.day_start).toBe('2026-12-03T23:00:00.000Z')
    expect(board.queues).toEqual([
      {
        queue_id: 'support',
        name: 'support',
        waiting: 1,
        longest_wait_seconds: 60,
        in_progress: 1,
        answered_today: 4,
        offered_today: 6,
        // c1 and c5 were answered within 20 s, out of the 6 calls that reached the queue today.
        service_level_percent: 33.3,
      },
    ])
    expect(board.agents_by_state).toEqual({ on_call: 1, available: 1, away: 1 })
    expect(board.agents.find((agent) => agent.agent_id === 'anna')?.seconds_in_state).toBe(120)
  })

  it('moves the day with the time zone', async () => {
    const board = await readWallboard(bridge.bridge.db, NOW, 'UTC', 60)
    expect(board.day_start).toBe('2026-12-04T00:00:00.000Z')
    // c5 (23:30 UTC on the 3rd) is no longer today; c1, c2 and c4 were answered within 60 s.
    expect(board.queues[0]).toMatchObject({ offered_today: 5, answered_today: 3, service_level_percent: 60 })
  })
})
