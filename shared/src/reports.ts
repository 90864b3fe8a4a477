/** Grouping of a report: one row per queue, team, agent or hour of day. */
export type ReportGroupBy = 'queue' | 'team' | 'agent' | 'hour'

/**
 * Metrics of one report row or of the total. Durations are in seconds. Averages and
 * percentages have one decimal place and are null when their denominator is zero; each
 * formula is in docs/metrics.md.
 */
export interface ReportMetrics {
  offered: number
  answered: number
  abandoned: number
  short_abandoned: number
  voicemails: number
  callbacks_requested: number
  callbacks_completed: number
  average_speed_of_answer_seconds: number | null
  average_handle_seconds: number | null
  service_level_percent: number | null
  occupancy_percent: number | null
}

/** One row of a report. */
export interface ReportRow extends ReportMetrics {
  /** Queue, team or agent id, or the hour of day (0-23) as text. It is null for calls with no queue, team or agent. */
  key: string | null
  /** Queue, team or agent name, or the hour as "09:00". */
  label: string
}
