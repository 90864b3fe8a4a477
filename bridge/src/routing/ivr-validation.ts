import type { IvrFlow, IvrNode } from './model'

/** Node fields that name another node. */
function targetsOf(node: IvrNode): Array<[field: string, target: string]> {
  switch (node.type) {
    case 'say':
      return [['next', node.next]]
    case 'menu':
      return [...Object.entries(node.options).map(([digit, target]): [string, string] => [`options/${digit}`, target]), ['no_input', node.no_input]]
    case 'language':
      return [['next', node.next]]
    case 'business_hours':
      return [['open', node.open], ['closed', node.closed]]
    case 'open_ticket':
      return [['has_ticket', node.has_ticket], ['no_ticket', node.no_ticket]]
    default:
      return []
  }
}

/** Queue ids a node refers to. */
function queuesOf(node: IvrNode): string[] {
  return node.type === 'business_hours' || node.type === 'queue' || node.type === 'callback' ? [node.queue_id] : []
}

/**
 * Checks a flow's graph after its JSON schema: every link leads to a node, every queue
 * exists, every node is reachable, and no loop runs without a caller's key press.
 * Each problem names the node and the field.
 */
export function flowProblems(flow: IvrFlow, knownQueues: Set<string>): string[] {
  const problems: string[] = []
  if (!(flow.start in flow.nodes)) problems.push(`start: node "${flow.start}" does not exist`)
  for (const [id, node] of Object.entries(flow.nodes)) {
    for (const [field, target] of targetsOf(node)) {
      if (!(target in flow.nodes)) problems.push(`nodes/${id}/${field}: node "${target}" does not exist`)
    }
    for (const queueId of queuesOf(node)) {
      if (!knownQueues.has(queueId)) problems.push(`nodes/${id}/queue_id: queue "${queueId}" does not exist`)
    }
  }
  if (problems.length > 0) return problems

  const reachable = walk(flow, flow.start)
  for (const id of Object.keys(flow.nodes)) {
    if (!reachable.has(id)) problems.push(`nodes/${id}: not reachable from start "${flow.start}"`)
  }
  const loop = silentLoop(flow)
  if (loop) problems.push(`nodes/${loop[0]}: loop without a key press (${loop.join(' -> ')})`)
  return problems
}

function walk(flow: IvrFlow, start: string): Set<string> {
  const seen = new Set<string>()
  const pending = [start]
  while (pending.length > 0) {
    const id = pending.pop() as string
    if (seen.has(id) || !(id in flow.nodes)) continue
    seen.add(id)
    for (const [, target] of targetsOf(flow.nodes[id])) pending.push(target)
  }
  return seen
}

/**
 * Finds a cycle through nodes that do not wait for the caller (say, business_hours), with
 * a depth-first search that visits each node once.
 */
function silentLoop(flow: IvrFlow): string[] | undefined {
  const silentTargets = (id: string): string[] => {
    const node = flow.nodes[id]
    if (node.type === 'say') return [node.next]
    if (node.type === 'business_hours') return [node.open, node.closed]
    return []
  }
  const status = new Map<string, 'active' | 'done'>()
  const visit = (id: string, path: string[]): string[] | undefined => {
    if (status.get(id) === 'active') return [...path.slice(path.indexOf(id)), id]
    if (status.get(id) === 'done') return undefined
    status.set(id, 'active')
    for (const target of silentTargets(id)) {
      const loop = visit(target, [...path, id])
      if (loop) return loop
    }
    status.set(id, 'done')
    return undefined
  }
  for (const id of Object.keys(flow.nodes)) {
    const loop = visit(id, [])
    if (loop) return loop
  }
  return undefined
}
