import type { CallerContext } from '../../src/routing/caller-context'
import { DEFAULT_RULES, type RoutingRule } from '../../src/routing/model'
import { decideRoute, type RoutingDirectory } from '../../src/routing/rules'

const directory: RoutingDirectory = {
  agentOf: (zendeskUserId) => (zendeskUserId === 900 ? 'giulia' : undefined),
  queueOfGroup: (groupId) => (groupId === 42 ? 'billing' : undefined),
}

function caller(ticket: Partial<NonNullable<CallerContext['openTicket']>> = {}): CallerContext {
  return {
    name: 'Mario Rossi',
    openTicket: { id: 412, subject: 'Ordine', status: 'open', priority: 'normal', assigneeId: 900, groupId: 42, organizationTags: [], ...ticket },
  }
}

describe('decideRoute', () => {
  it('sends a caller with an open ticket to its assignee and group', () => {
    const decision = decideRoute(DEFAULT_RULES, 'support', caller(), directory, true)
    expect(decision.queueId).toBe('billing')
    expect(decision.preferredAgentId).toBe('giulia')
    expect(decision.preferredWaitSeconds).toBe(20)
    expect(decision.priority).toBe(0)
    expect(decision.reasons).toEqual(['assignee of ticket #412', 'group of ticket #412'])
  })

  it('adds the boosts of an urgent ticket and a VIP organization', () => {
    const decision = decideRoute(DEFAULT_RULES, 'support', caller({ priority: 'urgent', organizationTags: ['vip'] }), directory, true)
    expect(decision.priority).toBe(300)
  })

  it('keeps the IVR choice without a ticket', () => {
    const decision = decideRoute(DEFAULT_RULES, 'support', { name: 'Mario Rossi' }, directory, true)
    expect(decision).toEqual({ queueId: 'support', priority: 0, reasons: ['IVR choice'] })
  })

  it('ignores the ticket when the caller turned it down', () => {
    expect(decideRoute(DEFAULT_RULES, 'support', caller({ priority: 'urgent' }), directory, false).queueId).toBe('support')
  })

  it.each(['hold', 'solved'])('ignores a ticket in status %s', (status) => {
    const decision = decideRoute(DEFAULT_RULES, 'support', caller({ status }), directory, true)
    expect(decision.queueId).toBe('support')
    expect(decision.preferredAgentId).toBeUndefined()
  })

  it('follows the rule order: without the assignee rule the group still applies', () => {
    const rules: RoutingRule[] = [{ type: 'ticket_group' }]
    const decision = decideRoute(rules, 'support', caller(), directory, true)
    expect(decision.queueId).toBe('billing')
    expect(decision.preferredAgentId).toBeUndefined()
  })

  it('skips an assignee who is not an agent of the call center', () => {
    const decision = decideRoute(DEFAULT_RULES, 'support', caller({ assigneeId: 1234 }), directory, true)
    expect(decision.preferredAgentId).toBeUndefined()
    expect(decision.queueId).toBe('billing')
  })
})
