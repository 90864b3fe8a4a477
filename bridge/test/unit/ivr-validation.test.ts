import { flowProblems, flowSchemaProblems } from '../../src/routing/ivr-validation'
import type { IvrFlow } from '../../src/routing/model'

const prompt = (text: string) => ({ it: text, en: text })
const queues = new Set(['support', 'sales'])

/** Builds a flow that uses every node type and passes every check. */
function fullFlow(): IvrFlow {
  return {
    start: 'language',
    nodes: {
      language: { type: 'language', prompt: prompt('1 italiano, 2 English'), options: { '1': 'it', '2': 'en' }, next: 'welcome' },
      welcome: { type: 'say', text: prompt('Benvenuti'), known_caller_text: prompt('Bentornato'), next: 'ticket' },
      ticket: { type: 'open_ticket', prompt: prompt('Premi 1 per il tuo ticket'), accept_digit: '1', has_ticket: 'hours', no_ticket: 'menu' },
      menu: { type: 'menu', prompt: prompt('1 assistenza, 2 vendite, 9 richiamata'), options: { '1': 'hours', '2': 'sales', '9': 'callback' }, no_input: 'menu', timeout_seconds: 5 },
      hours: { type: 'business_hours', queue_id: 'support', open: 'support', closed: 'closed' },
      support: { type: 'queue', queue_id: 'support' },
      sales: { type: 'queue', queue_id: 'sales' },
      callback: { type: 'callback', queue_id: 'support' },
      closed: { type: 'say', text: prompt('Siamo chiusi'), next: 'voicemail' },
      voicemail: { type: 'voicemail', prompt: prompt('Lasciate un messaggio') },
    },
  }
}

describe('flowProblems', () => {
  it('accepts a flow with every node type', () => {
    expect(flowProblems(fullFlow(), queues)).toEqual([])
  })

  it('accepts a menu that repeats itself on no input', () => {
    // The menu waits for a key press, so returning to it is no silent loop.
    const flow = fullFlow()
    expect(flow.nodes.menu).toMatchObject({ no_input: 'menu' })
    expect(flowProblems(flow, queues)).toEqual([])
  })

  it('names a start node that does not exist', () => {
    expect(flowProblems({ ...fullFlow(), start: 'begin' }, queues)).toContain('start: node "begin" does not exist')
  })

  it.each([
    ['say next', 'welcome', { type: 'say', text: prompt('x'), next: 'missing' }, 'nodes/welcome/next: node "missing" does not exist'],
    ['menu option', 'menu', { type: 'menu', prompt: prompt('x'), options: { '3': 'missing' }, no_input: 'menu', timeout_seconds: 5 }, 'nodes/menu/options/3: node "missing" does not exist'],
    ['menu no_input', 'menu', { type: 'menu', prompt: prompt('x'), options: { '1': 'hours' }, no_input: 'missing', timeout_seconds: 5 }, 'nodes/menu/no_input: node "missing" does not exist'],
    ['business_hours closed', 'hours', { type: 'business_hours', queue_id: 'support', open: 'support', closed: 'missing' }, 'nodes/hours/closed: node "missing" does not exist'],
    ['open_ticket has_ticket', 'ticket', { type: 'open_ticket', prompt: prompt('x'), accept_digit: '1', has_ticket: 'missing', no_ticket: 'menu' }, 'nodes/ticket/has_ticket: node "missing" does not exist'],
    ['language next', 'language', { type: 'language', prompt: prompt('x'), options: { '1': 'it' }, next: 'missing' }, 'nodes/language/next: node "missing" does not exist'],
  ] as const)('names a missing target in %s', (_case, nodeId, node, problem) => {
    const flow = fullFlow()
    flow.nodes[nodeId] = node as IvrFlow['nodes'][string]
    expect(flowProblems(flow, queues)).toContain(problem)
  })

  it.each([
    ['queue', 'sales', { type: 'queue', queue_id: 'billing' }],
    ['business_hours', 'hours', { type: 'business_hours', queue_id: 'billing', open: 'support', closed: 'closed' }],
    ['callback', 'callback', { type: 'callback', queue_id: 'billing' }],
  ] as const)('names an unknown queue in a %s node', (_case, nodeId, node) => {
    const flow = fullFlow()
    flow.nodes[nodeId] = node as IvrFlow['nodes'][string]
    expect(flowProblems(flow, queues)).toEqual([`nodes/${nodeId}/queue_id: queue "billing" does not exist`])
  })

  it('lists every missing target and queue at once', () => {
    const flow = fullFlow()
    flow.nodes.welcome = { type: 'say', text: prompt('x'), next: 'nowhere' }
    flow.nodes.sales = { type: 'queue', queue_id: 'billing' }
    expect(flowProblems(flow, queues)).toEqual(['nodes/welcome/next: node "nowhere" does not exist', 'nodes/sales/queue_id: queue "billing" does not exist'])
  })

  it('names every unreachable node', () => {
    const flow = fullFlow()
    flow.nodes.orphan = { type: 'hangup' }
    flow.nodes.orphan_child = { type: 'say', text: prompt('x'), next: 'orphan' }
    const problems = flowProblems(flow, queues)
    expect(problems).toContain('nodes/orphan: not reachable from start "language"')
    expect(problems).toContain('nodes/orphan_child: not reachable from start "language"')
  })

  it('names a loop of say nodes', () => {
    const flow: IvrFlow = {
      start: 'a',
      nodes: {
        a: { type: 'say', text: prompt('A'), next: 'b' },
        b: { type: 'say', text: prompt('B'), next: 'a' },
      },
    }
    expect(flowProblems(flow, queues)).toEqual(['nodes/a: loop without a key press (a -> b -> a)'])
  })

  it('names a loop through business hours', () => {
    const flow: IvrFlow = {
      start: 'hours',
      nodes: {
        hours: { type: 'business_hours', queue_id: 'support', open: 'queue', closed: 'sorry' },
        sorry: { type: 'say', text: prompt('Chiusi'), next: 'hours' },
        queue: { type: 'queue', queue_id: 'support' },
      },
    }
    expect(flowProblems(flow, queues)).toEqual(['nodes/hours: loop without a key press (hours -> sorry -> hours)'])
  })

  it('names a say node that leads to itself', () => {
    const flow: IvrFlow = { start: 'echo', nodes: { echo: { type: 'say', text: prompt('Eco'), next: 'echo' } } }
    expect(flowProblems(flow, queues)).toEqual(['nodes/echo: loop without a key press (echo -> echo)'])
  })

  it('skips graph checks while links are broken', () => {
    // Reachability and loops are only checked once every link resolves.
    const flow: IvrFlow = {
      start: 'a',
      nodes: {
        a: { type: 'say', text: prompt('A'), next: 'missing' },
        orphan: { type: 'hangup' },
      },
    }
    expect(flowProblems(flow, queues)).toEqual(['nodes/a/next: node "missing" does not exist'])
  })
})

describe('flowProblems on long chains', () => {
  it('checks 60 chained business-hours nodes without exploring every path', () => {
    const nodes: Record<string, any> = { end: { type: 'hangup' } }
    for (let index = 0; index < 60; index += 1) {
      const next = index === 59 ? 'end' : `h${index + 1}`
      nodes[`h${index}`] = { type: 'business_hours', queue_id: 'support', open: next, closed: next }
    }
    expect(flowProblems({ start: 'h0', nodes }, new Set(['support']))).toEqual([])
  })
})

describe('flowSchemaProblems', () => {
  /** Returns the problems of `fullFlow` with `nodeId` replaced, without their English messages. */
  const problemsWith = (nodeId: string, node: unknown, start = 'language') => {
    const flow: any = { ...fullFlow(), start }
    flow.nodes[nodeId] = node
    return flowSchemaProblems(flow).map(({ node_id, field, code, target }) => ({ node_id, field, code, target }))
  }

  it('accepts a valid flow', () => {
    expect(flowSchemaProblems(fullFlow())).toEqual([])
  })

  it('names each empty language of a prompt', () => {
    expect(problemsWith('welcome', { type: 'say', text: { it: '', en: 'Hello' }, known_caller_text: { it: 'Ciao' }, next: 'ticket' })).toEqual([
      { node_id: 'welcome', field: 'text/it', code: 'empty_text', target: 'it' },
      { node_id: 'welcome', field: 'known_caller_text/en', code: 'empty_text', target: 'en' },
    ])
  })

  it.each([
    ['an empty menu key', 'menu', { type: 'menu', prompt: prompt('x'), options: { '1': '' }, no_input: 'menu' }, 'options/1', ''],
    ['a malformed no_input', 'menu', { type: 'menu', prompt: prompt('x'), options: { '1': 'hours' }, no_input: 'a b' }, 'no_input', 'a b'],
    ['a missing closed', 'hours', { type: 'business_hours', queue_id: 'support', open: 'support' }, 'closed', ''],
    ['an empty no_ticket', 'ticket', { type: 'open_ticket', prompt: prompt('x'), accept_digit: '1', has_ticket: 'hours', no_ticket: '' }, 'no_ticket', ''],
    ['an empty language next', 'language', { type: 'language', prompt: prompt('x'), options: { '1': 'it' }, next: '' }, 'next', ''],
  ] as const)('names %s as a missing link', (_case, nodeId, node, field, target) => {
    expect(problemsWith(nodeId, node)).toEqual([{ node_id: nodeId, field, code: 'missing_link', target }])
  })

  it.each([
    ['an empty queue', 'sales', { type: 'queue', queue_id: '' }, 'queue_id'],
    ['a missing prompt', 'menu', { type: 'menu', options: { '1': 'hours' }, no_input: 'menu' }, 'prompt'],
    ['an empty accept_digit', 'ticket', { type: 'open_ticket', prompt: prompt('x'), accept_digit: '', has_ticket: 'hours', no_ticket: 'menu' }, 'accept_digit'],
    ['a menu without keys', 'menu', { type: 'menu', prompt: prompt('x'), options: {}, no_input: 'menu' }, 'options'],
  ] as const)('names %s as a missing field', (_case, nodeId, node, field) => {
    expect(problemsWith(nodeId, node)).toEqual([{ node_id: nodeId, field, code: 'missing_field', target: '' }])
  })

  it('names an empty start as a missing field', () => {
    expect(problemsWith('welcome', fullFlow().nodes.welcome, '')).toEqual([{ node_id: null, field: 'start', code: 'missing_field', target: '' }])
  })

  it('keeps invalid_field with one message per error', () => {
    const flow: any = fullFlow()
    flow.nodes.language.options = { '1': 'fr' }
    flow.nodes.menu.timeout_seconds = 0
    flow.nodes['bad id'] = { type: 'hangup' }
    expect(flowSchemaProblems(flow)).toEqual([
      { node_id: 'bad id', field: null, code: 'invalid_field', target: '', message: 'definition/nodes key "bad id" must match pattern "^[A-Za-z0-9_-]{1,64}$"' },
      { node_id: 'language', field: 'options/1', code: 'invalid_field', target: '', message: 'options/1 must be one of "it", "en"; got "fr"' },
      { node_id: 'menu', field: 'timeout_seconds', code: 'invalid_field', target: '', message: 'timeout_seconds must be >= 1; got 0' },
    ])
  })

  it('does not treat a language choice as a link', () => {
    expect(problemsWith('language', { type: 'language', prompt: prompt('x'), options: { '1': '' }, next: 'welcome' })).toEqual([
      { node_id: 'language', field: 'options/1', code: 'invalid_field', target: '' },
    ])
  })
})
