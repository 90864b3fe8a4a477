import type { BridgeApi } from '../../bridge-api'

export type TargetType = 'number' | 'agent' | 'queue'
export type ConsultState = 'dialing' | 'consulting' | 'conference' | 'target_left'
export type ConsultAction = 'complete' | 'return' | 'conference' | 'end'

/** Reply of `GET /app/api/transfer-targets`: available agents (not you) and every queue. */
export interface TransferTargets {
  agents: Array<{ id: string; name: string }>
  queues: Array<{ id: string; name: string }>
}

/** Reply of `GET` and `POST /app/api/calls/{id}/transfer`. */
export interface TransferState {
  on_hold: boolean
  /** Whether the agent's own leg is muted. */
  agent_muted: boolean
  consult: { id: string; state: ConsultState; target: string } | null
}

const callPath = (callId: string, tail: string) => `/app/api/calls/${encodeURIComponent(callId)}/${tail}`

export const loadTargets = (api: BridgeApi) => api.json<TransferTargets>('/app/api/transfer-targets')

export const loadTransferState = (api: BridgeApi, callId: string) => api.json<TransferState>(callPath(callId, 'transfer'))

export const requestTransfer = (api: BridgeApi, callId: string, mode: 'cold' | 'consult', target: { type: TargetType; value: string }) =>
  api.json<TransferState>(callPath(callId, 'transfer'), { method: 'POST', body: { mode, target } })

/** A cold transfer to a number goes through call control, which works for outbound calls too. */
export const transferToNumber = (api: BridgeApi, callId: string, number: string) => api.post(callPath(callId, 'control'), { action: 'transfer', to: number })

export const sendConsultAction = (api: BridgeApi, callId: string, action: ConsultAction) =>
  api.json<{ state: string }>(callPath(callId, 'consult'), { method: 'POST', body: { action } })
