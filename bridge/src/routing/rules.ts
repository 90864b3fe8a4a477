import type { CallerContext } from './caller-context'
import type { RoutingRule } from './model'

/** Ticket statuses whose assignee and group still own the conversation with the caller. */
const ROUTABLE_TICKET_STATUSES = new Set(['new', 'open', 'pending'])

export interface RouteDecision {
  queueId: string
  priority: number
  preferredAgentId?: string
  preferredWaitSeconds?: number
  reasons: string[]
}

export interface RoutingDirectory {
  /** Agent id of a Zendesk user, when that user is an agent of the call center. */
  agentOf(zendeskUserId: number): string | undefined
  /** Queue serving a Zendesk group, when one does. */
  queueOfGroup(groupId: number): string | undefined
}

/**
 * Applies the ordered routing rules to a caller who reached `requestedQueueId` in the IVR.
 * Ticket rules use the caller's open or pending ticket, unless the caller turned down the
 * offer of that ticket in the IVR. The first rule that sets the queue or the agent wins;
 * boosts add up.
 */
export function decideRoute(
  rules: RoutingRule[],
  requestedQueueId: string,
  caller: CallerContext,
  directory: RoutingDirectory,
  useTicket: boolean,
): RouteDecision {
  const decision: RouteDecision = { queueId: requestedQueueId, priority: 0, reasons: [] }
  const ticket = useTicket && caller.openTicket && ROUTABLE_TICKET_STATUSES.has(caller.openTicket.status) ? caller.openTicket : undefined
  let queueChosen = false

  for (const rule of rules) {
    if (rule.type === 'ticket_assignee' && ticket?.assigneeId && decision.preferredAgentId === undefined) {
      const agentId = directory.agentOf(ticket.assigneeId)
      if (agentId !== undefined) {
        decision.preferredAgentId = agentId
        decision.preferredWaitSeconds = rule.wait_seconds
        decision.reasons.push(`assignee of ticket #${ticket.id}`)
      }
    }
    if (rule.type === 'ticket_group' && ticket?.groupId && !queueChosen) {
      const queueId = directory.queueOfGroup(ticket.groupId)
      if (queueId !== undefined) {
        decision.queueId = queueId
        queueChosen = true
        decision.reasons.push(`group of ticket #${ticket.id}`)
      }
    }
    if (rule.type === 'priority_boost' && ticket?.priority && (rule.ticket_priorities as string[]).includes(ticket.priority)) {
      decision.priority += rule.boost
      decision.reasons.push(`${ticket.priority} ticket +${rule.boost}`)
    }
    if (rule.type === 'organization_tag_boost' && ticket?.organizationTags.includes(rule.tag)) {
      decision.priority += rule.boost
      decision.reasons.push(`organization tag ${rule.tag} +${rule.boost}`)
    }
  }
  if (decision.reasons.length === 0) decision.reasons.push('IVR choice')
  return decision
}
