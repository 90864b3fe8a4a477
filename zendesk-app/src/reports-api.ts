import type { ReportGroupBy, ReportMetrics, ReportRow } from '@centralino/shared'

export type { ReportGroupBy, ReportMetrics, ReportRow }

export const REPORT_GROUPINGS: ReportGroupBy[] = ['queue', 'team', 'agent', 'hour']

/** Reply of `GET /app/api/reports`: the parameters as the bridge applied them, the rows and the total. */
export interface ReportReply {
  from: string
  to: string
  time_zone: string
  group_by: ReportGroupBy
  short_abandon_seconds: number
  service_level_seconds: number
  rows: ReportRow[]
  total: ReportMetrics
}

/** Query parameters of `GET /app/api/reports` and `GET /app/api/reports.csv`. */
export interface ReportQuery {
  /** ISO 8601 instants: calls that started in [from, to) count. */
  from: string
  to: string
  time_zone: string
  group_by: ReportGroupBy
  short_abandon_seconds: number
  service_level_seconds: number
}

/** Builds the query string of a report request. */
export function reportSearch(query: ReportQuery): string {
  return new URLSearchParams({
    from: query.from,
    to: query.to,
    time_zone: query.time_zone,
    group_by: query.group_by,
    short_abandon_seconds: String(query.short_abandon_seconds),
    service_level_seconds: String(query.service_level_seconds),
  }).toString()
}
