import { nextAfterInput, runIvr, type IvrEnvironment } from '../../src/routing/ivr-runtime'
import type { IvrFlow } from '../../src/routing/model'

const prompt = (it: string, en: string) => ({ it, en })
const flow: IvrFlow = {
  start: 'welcome',
  nodes: {
    welcome: { type: 'say', text: prompt('Benvenuto.', 'Welcome.'), known_caller_text: prompt('Bentornato {name}.', 'Welcome back {name}.'), next: 'hours' },
    hours: { type: 'business_hours', queue_id: 'support', open: 'ticket', closed: 'closed' },
    ticket: { type: 'open_ticket', prompt: prompt('Premi 1 per il ticket {ticket}.', 'Press 1 for ticket {ticket}.'), accept_digit: '1', has_ticket: 'queue', no_ticket: 'menu' },
    menu: { type: 'menu', prompt: prompt('1 vendite, 2 assistenza.', '1 sales, 2 support.'), options: { '1': 'queue', '2': 'queue' }, no_input: 'bye', timeout_seconds: 5 },
    queue: { type: 'queue', queue_id: 'support' },
    closed: { type: 'voicemail', prompt: prompt('Siamo chiusi.', 'We are closed.') },
    bye: { type: 'hangup', text: prompt('Arrivederci.', 'Goodbye.') },
  },
}

function env(overrides: Partial<IvrEnvironment> = {}): IvrEnvironment {
  return { callId: 'CON-1', language: 'it', caller: {}, publicUrl: 'https://bridge.example.test', isQueueOpen: () => true, ticketAccepted: true, ...overrides }
}

describe('runIvr', () => {
  it('greets a known caller by name and offers their open ticket first', () => {
    const caller = { name: 'Giulia', openTicket: { id: 412, subject: null, status: 'open', priority: null, assigneeId: null, groupId: null, organizationTags: [] } }
    const step = runIvr(flow, 'welcome', env({ caller }))
    expect(step.actions[0]).toMatchObject({ action: 'talk', text: 'Bentornato Giulia.', language: 'it-IT' })
    expect(step.actions[1]).toMatchObject({ action: 'talk', text: 'Premi 1 per il ticket 412.', bargeIn: true })
    expect(step.actions[2]).toMatchObject({ action: 'input', type: ['dtmf'], eventUrl: ['https://bridge.example.test/vonage/event?step=ivr&node=ticket'] })
    expect(step.outcome).toEqual({ type: 'input', nodeId: 'ticket' })
  })

  it('goes to the menu for an unknown caller', () => {
    const step = runIvr(flow, 'welcome', env({ language: 'en' }))
    expect(step.actions.map((action) => action.text ?? action.action)).toEqual(['Welcome.', '1 sales, 2 support.', 'input'])
  })

  it('takes a voicemail when the queue is closed', () => {
    const step = runIvr(flow, 'welcome', env({ isQueueOpen: () => false }))
    expect(step.outcome).toEqual({ type: 'voicemail' })
    expect(step.actions.at(-1)).toMatchObject({ text: 'Siamo chiusi.' })
  })

  it('rejects a flow that never waits', () => {
    const loop: IvrFlow = { start: 'a', nodes: { a: { type: 'say', text: prompt('a', 'a'), next: 'a' } } }
    expect(() => runIvr(loop, 'a', env())).toThrow('IVR flow ran 50 nodes without waiting for the caller')
  })
})

describe('nextAfterInput', () => {
  it('follows a menu option or falls back to no_input', () => {
    expect(nextAfterInput(flow.nodes.menu, '2')).toEqual({ next: 'queue' })
    expect(nextAfterInput(flow.nodes.menu, '9')).toEqual({ next: 'bye' })
    expect(nextAfterInput(flow.nodes.menu, '')).toEqual({ next: 'bye' })
  })

  it('records whether the caller accepted their ticket', () => {
    expect(nextAfterInput(flow.nodes.ticket, '1')).toEqual({ next: 'queue', ticketAccepted: true })
    expect(nextAfterInput(flow.nodes.ticket, '2')).toEqual({ next: 'menu', ticketAccepted: false })
  })
})
