export type { ReportGroupBy, ReportMetrics, ReportRow } from './reports'
export type { AgentBoard, QueueBoard, Wallboard } from './wallboard'
