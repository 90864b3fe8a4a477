/** One queue on the wallboard. */
export interface QueueBoard {
  queue_id: string
  name: string
  waiting: number
  longest_wait_seconds: number
  in_progress: number
  answered_today: number
  offered_today: number
  /** Percent of today's offered calls answered within the threshold; null before the queue's first call of the day. */
  service_level_percent: number | null
}

/** One agent on the wallboard. */
export interface AgentBoard {
  agent_id: string
  name: string
  team_id: string | null
  state: string
  seconds_in_state: number
}

/** Reply of `GET /app/api/wallboard`. Its seconds are counted up to `generated_at`. */
export interface Wallboard {
  generated_at: string
  day_start: string
  queues: QueueBoard[]
  agents: AgentBoard[]
  agents_by_state: Record<string, number>
}
