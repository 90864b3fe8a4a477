export type { ReportGroupBy, ReportMetrics, ReportRow } from './reports'
export type { AgentBoard, QueueBoard, Wallboard } from './wallboard'
export type { FlowNodeProblem, FlowProblemCode } from './ivr'
