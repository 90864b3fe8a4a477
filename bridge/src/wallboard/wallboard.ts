import type { AgentBoard, QueueBoard, Wallboard } from '@centralino/shared'
import type { Database } from '../db/database'

export type { AgentBoard, QueueBoard, Wallboard }

/**
 * The live state of the call center for team leads: per queue the callers waiting and the
 * longest wait, calls in progress and today's service level (answered within
 * `serviceLevelSeconds` of arriving, over all calls that reached the queue today, "today"
 * starting at midnight in `timeZone`), and every agent's state with the time in it.
 */
export async function readWallboard(db: Database, now: Date, timeZone: string, serviceLevelSeconds: number): Promise<Wallboard> {
  const dayStart = await db.query<{ day_start: Date }>(`SELECT (date_trunc('day', $1::timestamptz AT TIME ZONE $2) AT TIME ZONE $2) AS day_start`, [now, timeZone])
  const since = new Date(dayStart.rows[0].day_start)
  const queues = await db.query<{
    id: string
    name: string
    waiting: string
    oldest: Date | null
    in_progress: string
    offered_today: string
    answered_today: string
    within_target: string
  }>(
    `SELECT q.id, q.name,
       (SELECT count(*) FROM queue_entries e WHERE e.queue_id = q.id AND e.state IN ('waiting', 'offering')) AS waiting,
       (SELECT min(e.enqueued_at) FROM queue_entries e WHERE e.queue_id = q.id AND e.state IN ('waiting', 'offering')) AS oldest,
       (SELECT count(*) FROM calls c WHERE c.queue_id = q.id AND c.status = 'in_progress' AND c.agent_id IS NOT NULL) AS in_progress,
       (SELECT count(*) FROM calls c WHERE c.queue_id = q.id AND c.started_at >= $1) AS offered_today,
       (SELECT count(*) FROM calls c WHERE c.queue_id = q.id AND c.started_at >= $1 AND c.agent_id IS NOT NULL AND c.answered_at IS NOT NULL) AS answered_today,
       (SELECT count(*) FROM calls c WHERE c.queue_id = q.id AND c.started_at >= $1 AND c.agent_id IS NOT NULL AND c.answered_at IS NOT NULL
          AND c.answered_at - c.started_at <= make_interval(secs => $2)) AS within_target
     FROM queues q ORDER BY q.id`,
    [since, serviceLevelSeconds],
  )
  const agents = await db.query<{ id: string; name: string; team_id: string | null; state: string; state_changed_at: Date }>(
    'SELECT id, name, team_id, state, state_changed_at FROM agents ORDER BY team_id NULLS LAST, name',
  )
  const byState: Record<string, number> = {}
  for (const agent of agents.rows) byState[agent.state] = (byState[agent.state] ?? 0) + 1
  return {
    generated_at: now.toISOString(),
    day_start: since.toISOString(),
    queues: queues.rows.map((row) => {
      const offered = Number(row.offered_today)
      return {
        queue_id: row.id,
        name: row.name,
        waiting: Number(row.waiting),
        longest_wait_seconds: row.oldest ? Math.max(0, Math.round((now.getTime() - new Date(row.oldest).getTime()) / 1000)) : 0,
        in_progress: Number(row.in_progress),
        answered_today: Number(row.answered_today),
        offered_today: offered,
        service_level_percent: offered === 0 ? null : Math.round((Number(row.within_target) / offered) * 1000) / 10,
      }
    }),
    agents: agents.rows.map((row) => ({
      agent_id: row.id,
      name: row.name,
      team_id: row.team_id,
      state: row.state,
      seconds_in_state: Math.max(0, Math.round((now.getTime() - new Date(row.state_changed_at).getTime()) / 1000)),
    })),
    agents_by_state: byState,
  }
}
