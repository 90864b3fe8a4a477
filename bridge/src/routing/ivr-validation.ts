import type { FlowNodeProblem, FlowProblemCode } from '@centralino/shared'
import type { ErrorObject, ValidateFunction } from 'ajv'
import { adminValidatorCompiler, describeValidationErrors } from './admin-validation'
import { IvrFlow, type IvrNode } from './model'

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

export type { FlowNodeProblem, FlowProblemCode }

/**
 * Checks a flow's graph after its JSON schema: every link leads to a node, every queue
 * exists, every node is reachable, and no loop runs without a caller's key press.
 * Each problem names the node and the field.
 */
export function flowProblems(flow: IvrFlow, knownQueues: Set<string>): string[] {
  return flowNodeProblems(flow, knownQueues).map(formatFlowProblem)
}

/** Formats a problem as `nodes/<id>/<field>: <message>`, the form of the admin API's errors. */
export function formatFlowProblem(problem: FlowNodeProblem): string {
  if (problem.node_id === null) return `${problem.field ?? 'start'}: ${problem.message}`
  return `nodes/${problem.node_id}${problem.field === null ? '' : `/${problem.field}`}: ${problem.message}`
}

/** Checks the same rules as `flowProblems` and returns each problem tied to its node. */
export function flowNodeProblems(flow: IvrFlow, knownQueues: Set<string>): FlowNodeProblem[] {
  const problems: FlowNodeProblem[] = []
  if (!(flow.start in flow.nodes)) {
    problems.push({ node_id: null, field: 'start', code: 'missing_start', target: flow.start, message: `node "${flow.start}" does not exist` })
  }
  for (const [id, node] of Object.entries(flow.nodes)) {
    for (const [field, target] of targetsOf(node)) {
      if (!(target in flow.nodes)) problems.push({ node_id: id, field, code: 'missing_node', target, message: `node "${target}" does not exist` })
    }
    for (const queueId of queuesOf(node)) {
      if (!knownQueues.has(queueId)) problems.push({ node_id: id, field: 'queue_id', code: 'unknown_queue', target: queueId, message: `queue "${queueId}" does not exist` })
    }
  }
  if (problems.length > 0) return problems

  const reachable = walk(flow, flow.start)
  for (const id of Object.keys(flow.nodes)) {
    if (!reachable.has(id)) problems.push({ node_id: id, field: null, code: 'unreachable', target: flow.start, message: `not reachable from start "${flow.start}"` })
  }
  const loop = silentLoop(flow)
  if (loop) {
    const path = loop.join(' -> ')
    problems.push({ node_id: loop[0], field: null, code: 'silent_loop', target: path, message: `loop without a key press (${path})` })
  }
  return problems
}

/**
 * Checks an unsaved flow against the IvrFlow schema with the admin API's validator, and
 * returns one problem per schema error, tied to its node (null for a flow-level field).
 * `field` is the path inside the node, such as `prompt/it` or `options/1`. Like the admin
 * API, it fills schema defaults such as a menu's `timeout_seconds` in `draft`.
 */
export function flowSchemaProblems(draft: unknown): FlowNodeProblem[] {
  const validate = adminValidatorCompiler({ schema: IvrFlow, httpPart: 'body', method: 'POST', url: '' }) as ValidateFunction
  if (validate(draft)) return []
  const problems = new Map<string, FlowNodeProblem>()
  for (const { error, clause } of describeValidationErrors(validate.errors ?? [], 'definition')) {
    const problem = schemaProblem(draft, error, clause)
    problems.set(JSON.stringify(problem), problem)
  }
  return [...problems.values()]
}

/** Node fields that hold the id of another node. A menu's `options/<key>` are links too. */
const LINK_FIELDS = new Set(['next', 'no_input', 'open', 'closed', 'has_ticket', 'no_ticket'])
const PROMPT_TEXT = /^(?:text|prompt|known_caller_text)\/(it|en)$/

/**
 * Turns one Ajv error into a problem, with a code for each mistake an editor makes most.
 * `empty_text` is an empty or missing language of a prompt. `missing_link` is an empty,
 * missing or malformed link to another node. `missing_field` is a missing field, an empty
 * string where a value is required (such as no queue chosen), or a menu without keys.
 * Every other error is `invalid_field`. Each keeps its clause of the admin API's message.
 */
function schemaProblem(draft: unknown, error: ErrorObject, clause: string): FlowNodeProblem {
  const { nodeId, path } = locateError(error)
  const field = path.length === 0 ? null : path.join('/')
  // The node is shown next to the message, so its path prefix is left out.
  const message = nodeId === null ? clause : clause.replaceAll(`definition/nodes/${nodeId}/`, '')
  const problem = (code: FlowProblemCode, target = ''): FlowNodeProblem => ({ node_id: nodeId, field, code, target, message })
  if (field === null) return problem('invalid_field')

  const isMissing = error.keyword === 'required'
  const isEmpty = error.data === '' && (error.keyword === 'pattern' || error.keyword === 'minLength')
  const language = PROMPT_TEXT.exec(field)?.[1]
  if (nodeId !== null && language !== undefined && (isMissing || isEmpty)) return problem('empty_text', language)
  if (nodeId !== null && isLink(nodeTypeOf(draft, nodeId), field)) return problem('missing_link', typeof error.data === 'string' ? error.data : '')
  if (isMissing || isEmpty || (error.keyword === 'minProperties' && field === 'options')) return problem('missing_field')
  return problem('invalid_field')
}

/**
 * Returns the node an Ajv error is about and the path inside it. The node comes from
 * `/nodes/<id>/...`, or from a node id that fails its pattern. A `required` error's path
 * ends with the missing field.
 */
function locateError(error: ErrorObject): { nodeId: string | null; path: string[] } {
  const segments = error.instancePath.split('/').slice(1).map((segment) => segment.replaceAll('~1', '/').replaceAll('~0', '~'))
  const params = error.params as { missingProperty?: unknown; additionalProperty?: unknown }
  if (error.keyword === 'required') segments.push(String(params.missingProperty))
  if (segments[0] !== 'nodes') return { nodeId: null, path: segments }
  if (segments.length > 1) return { nodeId: segments[1], path: segments.slice(2) }
  if (typeof params.additionalProperty === 'string') return { nodeId: params.additionalProperty, path: [] }
  return { nodeId: null, path: segments }
}

function nodeTypeOf(draft: unknown, nodeId: string): unknown {
  const nodes = (draft as { nodes?: Record<string, { type?: unknown } | null> } | null)?.nodes
  return nodes?.[nodeId]?.type
}

function isLink(nodeType: unknown, field: string): boolean {
  return LINK_FIELDS.has(field) || (nodeType === 'menu' && /^options\/[^/]+$/.test(field))
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
