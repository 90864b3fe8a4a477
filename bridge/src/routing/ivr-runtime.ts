import type { Language } from '../i18n/language'
import { PROMPTS } from '../i18n/prompts'
import type { Ncco } from '../vonage/ncco'
import type { CallerContext } from './caller-context'
import type { IvrFlow, IvrNode } from './model'

/** The IVR's hand-off once it needs no more key presses: wait for input, queue, voicemail, callback or hang up. */
export type IvrOutcome =
  | { type: 'input'; nodeId: string }
  | { type: 'queue'; queueId: string; useTicket: boolean }
  | { type: 'voicemail' }
  | { type: 'callback'; queueId: string }
  | { type: 'hangup' }

export interface IvrStep {
  actions: Ncco
  outcome: IvrOutcome
  /** The caller chose a language in the IVR. */
  language?: Language
  /** The nodes this step ran, in order, each with the NCCO actions it added. */
  visited: Array<{ nodeId: string; actions: Ncco }>
}

export interface IvrEnvironment {
  callId: string
  language: Language
  caller: CallerContext
  publicUrl: string
  /** True when a team of the queue works now. */
  isQueueOpen(queueId: string): boolean
  /** False once the caller turned down the offer of their open ticket. */
  ticketAccepted: boolean
}

const MAX_STEPS = 50

/**
 * Walks the flow from `nodeId`, collecting the NCCO actions, until a node needs the
 * caller's keys or hands the caller on (queue, voicemail, callback, hang up). Nodes that
 * only decide (business hours, open ticket without a ticket) run here without a round
 * trip to Vonage.
 */
export function runIvr(flow: IvrFlow, nodeId: string, env: IvrEnvironment): IvrStep {
  const actions: Ncco = []
  const visited: IvrStep['visited'] = []
  let current = nodeId
  for (let step = 0; step < MAX_STEPS; step += 1) {
    const node = flow.nodes[current]
    if (node === undefined) throw new Error(`IVR node "${current}" not found`)
    const before = actions.length
    const next = advance(node, current, env, actions)
    visited.push({ nodeId: current, actions: actions.slice(before) })
    if (typeof next !== 'string') return { actions, outcome: next, visited }
    current = next
  }
  throw new Error(`IVR flow ran ${MAX_STEPS} nodes without waiting for the caller`)
}

function advance(node: IvrNode, id: string, env: IvrEnvironment, actions: Ncco): string | IvrOutcome {
  const tts = PROMPTS[env.language].ttsLanguage
  switch (node.type) {
    case 'say': {
      const known = env.caller.name && node.known_caller_text
      const text = known ? node.known_caller_text![env.language].replaceAll('{name}', env.caller.name as string) : node.text[env.language]
      actions.push(talk(text, tts))
      return node.next
    }
    case 'business_hours':
      return env.isQueueOpen(node.queue_id) ? node.open : node.closed
    case 'open_ticket': {
      const ticket = env.caller.openTicket
      if (ticket === undefined) return node.no_ticket
      actions.push(talk(node.prompt[env.language].replaceAll('{ticket}', String(ticket.id)), tts, true), dtmfInput(env, id, 1, 5))
      return { type: 'input', nodeId: id }
    }
    case 'menu':
      actions.push(talk(node.prompt[env.language], tts, true), dtmfInput(env, id, 1, node.timeout_seconds ?? 5))
      return { type: 'input', nodeId: id }
    case 'language':
      actions.push(talk(node.prompt[env.language], tts, true), dtmfInput(env, id, 1, 5))
      return { type: 'input', nodeId: id }
    case 'queue':
      return { type: 'queue', queueId: node.queue_id, useTicket: env.ticketAccepted }
    case 'voicemail':
      if (node.prompt) actions.push(talk(node.prompt[env.language], tts))
      return { type: 'voicemail' }
    case 'callback':
      if (node.prompt) actions.push(talk(node.prompt[env.language], tts))
      return { type: 'callback', queueId: node.queue_id }
    case 'hangup':
      if (node.text) actions.push(talk(node.text[env.language], tts))
      return { type: 'hangup' }
  }
}

/**
 * Returns the node that follows a key press on an input node, with the language the
 * caller chose and whether they accepted their open ticket.
 */
export function nextAfterInput(node: IvrNode, digits: string): { next: string; language?: Language; ticketAccepted?: boolean } {
  switch (node.type) {
    case 'menu':
      return { next: node.options[digits] ?? node.no_input }
    case 'language':
      return { next: node.next, language: node.options[digits] }
    case 'open_ticket':
      return digits === node.accept_digit ? { next: node.has_ticket, ticketAccepted: true } : { next: node.no_ticket, ticketAccepted: false }
    default:
      throw new Error(`IVR node of type ${node.type} takes no key press`)
  }
}

function talk(text: string, language: string, bargeIn = false): Record<string, unknown> {
  return { action: 'talk', text, language, bargeIn }
}

function dtmfInput(env: IvrEnvironment, nodeId: string, maxDigits: number, timeOut: number): Record<string, unknown> {
  return {
    action: 'input',
    type: ['dtmf'],
    dtmf: { maxDigits, timeOut },
    eventUrl: [`${env.publicUrl}/vonage/event?step=ivr&node=${encodeURIComponent(nodeId)}`],
  }
}
