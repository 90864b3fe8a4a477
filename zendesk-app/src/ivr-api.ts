import type { FlowNodeProblem, FlowProblemCode } from '@centralino/shared'
import type { BridgeApi, Me } from './bridge-api'

/** A prompt in both languages the bridge speaks. */
export interface Prompt {
  it: string
  en: string
}

/** One IVR node, as the bridge's IvrFlow schema defines it. */
export type IvrNode =
  | { type: 'say'; text: Prompt; known_caller_text?: Prompt; next: string }
  | { type: 'menu'; prompt: Prompt; options: Record<string, string>; no_input: string; timeout_seconds?: number }
  | { type: 'language'; prompt: Prompt; options: Record<string, 'it' | 'en'>; next: string }
  | { type: 'business_hours'; queue_id: string; open: string; closed: string }
  | { type: 'open_ticket'; prompt: Prompt; accept_digit: string; has_ticket: string; no_ticket: string }
  | { type: 'queue'; queue_id: string }
  | { type: 'voicemail'; prompt?: Prompt }
  | { type: 'callback'; queue_id: string; prompt?: Prompt }
  | { type: 'hangup'; text?: Prompt }

export type IvrNodeType = IvrNode['type']

export const NODE_TYPES: IvrNodeType[] = ['say', 'menu', 'language', 'business_hours', 'open_ticket', 'queue', 'voicemail', 'callback', 'hangup']

export interface IvrFlow {
  start: string
  nodes: Record<string, IvrNode>
}

/** Node positions on the editor's canvas, in pixels, by node id. */
export type FlowLayout = Record<string, { x: number; y: number }>

/** A flow's newest version, as `GET /app/api/ivr-flows` lists it. */
export interface FlowSummary {
  id: string
  version: number
  created_at: string
  definition: IvrFlow
}

/** One version with its layout, which is null for a version stored without one. */
export interface FlowVersion extends FlowSummary {
  layout: FlowLayout | null
}

/** Reply of `GET /app/api/ivr-flows/:id`: the newest version with the list of all versions. */
export interface FlowDetail extends FlowVersion {
  versions: Array<{ version: number; created_at: string }>
  numbers: string[]
}

/** A problem of a draft, tied to its node (null: the flow's start or the whole flow). */
export type FlowProblem = FlowNodeProblem
export type { FlowProblemCode }

export interface PreviewRequest {
  definition: IvrFlow
  /** One key 0-9, * or # each, or "" for no key before the timeout. */
  keys: string[]
  language: 'it' | 'en'
  business_hours?: 'open' | 'closed'
  caller?: { name?: string; open_ticket_id?: number }
}

export interface PreviewStep {
  node_id: string
  node_type: IvrNodeType
  heard: string[]
  key: string | null
}

export interface PreviewResult {
  steps: PreviewStep[]
  outcome: { type: 'input' | 'queue' | 'voicemail' | 'callback' | 'hangup'; node_id?: string; queue_id?: string; use_ticket?: boolean }
  language: 'it' | 'en'
  unused_keys: string[]
}

/** `/app/api/me` with the admin flag, which only the IVR editor reads. */
export type MeWithRole = Me & { user: Me['user'] & { is_admin?: boolean } }

/** The IVR editor's calls to the bridge; every route needs a Zendesk admin's session. */
export class IvrApi {
  constructor(private readonly api: BridgeApi) {}

  async listFlows(): Promise<FlowSummary[]> {
    return (await this.api.json<{ flows: FlowSummary[] }>('/app/api/ivr-flows')).flows
  }

  async listQueues(): Promise<Array<{ id: string; name: string }>> {
    return (await this.api.json<{ queues: Array<{ id: string; name: string }> }>('/app/api/ivr-queues')).queues
  }

  getFlow(id: string): Promise<FlowDetail> {
    return this.api.json<FlowDetail>(`/app/api/ivr-flows/${encodeURIComponent(id)}`)
  }

  getVersion(id: string, version: number): Promise<FlowVersion> {
    return this.api.json<FlowVersion>(`/app/api/ivr-flows/${encodeURIComponent(id)}/versions/${version}`)
  }

  validate(definition: IvrFlow): Promise<{ valid: boolean; problems: FlowProblem[] }> {
    return this.api.json('/app/api/ivr-flows/validate', { method: 'POST', body: { definition } })
  }

  /**
   * Publishes `definition` with the node positions of `layout`, whose ids must all be nodes of
   * `definition`. The bridge returns 409 when the flow's newest version is no longer `baseVersion` (0 for a new flow).
   */
  publish(id: string, definition: IvrFlow, baseVersion: number, layout: FlowLayout): Promise<{ id: string; version: number }> {
    return this.api.json(`/app/api/ivr-flows/${encodeURIComponent(id)}/versions`, { method: 'POST', body: { definition, base_version: baseVersion, layout } })
  }

  rollback(id: string, version: number): Promise<{ id: string; version: number }> {
    return this.api.json(`/app/api/ivr-flows/${encodeURIComponent(id)}/rollback`, { method: 'POST', body: { version } })
  }

  preview(request: PreviewRequest): Promise<PreviewResult> {
    return this.api.json('/app/api/ivr-flows/preview', { method: 'POST', body: request })
  }
}
