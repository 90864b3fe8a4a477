import type { FlowLayout, IvrFlow, IvrNode, IvrNodeType, Prompt } from '../../ivr-api'

/** A link from a node to another: `field` is the node's field, such as `next` or `options/1`. */
export interface NodeOutput {
  field: string
  target: string
}

export const NODE_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/
export const KEY_PATTERN = /^[0-9*#]$/

/** Lists the links of a node in a stable order: menu options by key, then the fallbacks. */
export function outputsOf(node: IvrNode): NodeOutput[] {
  switch (node.type) {
    case 'say':
    case 'language':
      return [{ field: 'next', target: node.next }]
    case 'menu':
      return [...Object.keys(node.options).sort().map((key) => ({ field: `options/${key}`, target: node.options[key] })), { field: 'no_input', target: node.no_input }]
    case 'business_hours':
      return [
        { field: 'open', target: node.open },
        { field: 'closed', target: node.closed },
      ]
    case 'open_ticket':
      return [
        { field: 'has_ticket', target: node.has_ticket },
        { field: 'no_ticket', target: node.no_ticket },
      ]
    default:
      return []
  }
}

/** Returns a copy of `node` whose link `field` leads to `target`. */
export function withOutput(node: IvrNode, field: string, target: string): IvrNode {
  if (field.startsWith('options/') && node.type === 'menu') return { ...node, options: { ...node.options, [field.slice('options/'.length)]: target } }
  if (!outputsOf(node).some((output) => output.field === field)) return node
  return { ...node, [field]: target } as IvrNode
}

const EMPTY_PROMPT: Prompt = { it: '', en: '' }

/** Builds a new node of a kind with empty prompts and links, which validation then names. */
export function newNode(type: IvrNodeType, defaultQueue = ''): IvrNode {
  switch (type) {
    case 'say':
      return { type, text: { ...EMPTY_PROMPT }, next: '' }
    case 'menu':
      return { type, prompt: { ...EMPTY_PROMPT }, options: { '1': '' }, no_input: '', timeout_seconds: 5 }
    case 'language':
      return { type, prompt: { it: 'Per l’italiano premi 1. For English press 2.', en: 'Per l’italiano premi 1. For English press 2.' }, options: { '1': 'it', '2': 'en' }, next: '' }
    case 'business_hours':
      return { type, queue_id: defaultQueue, open: '', closed: '' }
    case 'open_ticket':
      return { type, prompt: { ...EMPTY_PROMPT }, accept_digit: '1', has_ticket: '', no_ticket: '' }
    case 'queue':
      return { type, queue_id: defaultQueue }
    case 'callback':
      return { type, queue_id: defaultQueue }
    case 'voicemail':
    case 'hangup':
      return { type }
  }
}

/** Picks an unused id such as `menu_2` for a new node. */
export function freeNodeId(flow: IvrFlow, type: IvrNodeType): string {
  for (let index = 1; ; index += 1) {
    const id = `${type}_${index}`
    if (!(id in flow.nodes)) return id
  }
}

/** Adds a node; the first node of an empty flow becomes its start. */
export function addNode(flow: IvrFlow, id: string, node: IvrNode): IvrFlow {
  return { start: Object.keys(flow.nodes).length === 0 ? id : flow.start, nodes: { ...flow.nodes, [id]: node } }
}

/** Removes a node. Links to it stay, so validation shows them on the nodes that still point there. */
export function removeNode(flow: IvrFlow, id: string): IvrFlow {
  const nodes = { ...flow.nodes }
  delete nodes[id]
  return { ...flow, nodes }
}

/** Renames a node and every link to it, the start included. */
export function renameNode(flow: IvrFlow, from: string, to: string): IvrFlow {
  const nodes: Record<string, IvrNode> = {}
  for (const [id, node] of Object.entries(flow.nodes)) {
    let renamed = node
    for (const output of outputsOf(node)) if (output.target === from) renamed = withOutput(renamed, output.field, to)
    nodes[id === from ? to : id] = renamed
  }
  return { start: flow.start === from ? to : flow.start, nodes }
}

/**
 * Places nodes in rows by their distance from the start (breadth-first), left to right in
 * the order they are reached. Nodes the start cannot reach go in one last row.
 */
export function layeredLayout(flow: IvrFlow, columnWidth = 250, rowHeight = 190): Record<string, { x: number; y: number }> {
  const depth = new Map<string, number>()
  const queue: string[] = []
  if (flow.start in flow.nodes) {
    depth.set(flow.start, 0)
    queue.push(flow.start)
  }
  while (queue.length > 0) {
    const id = queue.shift() as string
    for (const output of outputsOf(flow.nodes[id])) {
      if (output.target in flow.nodes && !depth.has(output.target)) {
        depth.set(output.target, (depth.get(id) ?? 0) + 1)
        queue.push(output.target)
      }
    }
  }
  const lastRow = Math.max(-1, ...depth.values()) + 1
  const rows = new Map<number, string[]>()
  for (const id of [...depth.keys(), ...Object.keys(flow.nodes).filter((id) => !depth.has(id))]) {
    const row = depth.get(id) ?? lastRow
    rows.set(row, [...(rows.get(row) ?? []), id])
  }
  const positions: Record<string, { x: number; y: number }> = {}
  for (const [row, ids] of rows) ids.forEach((id, column) => (positions[id] = { x: column * columnWidth, y: row * rowHeight }))
  return positions
}

/**
 * Returns a position for each node of `flow` and for no other id: the one in `layout` when
 * it has one, else the automatic layout's (a new node, or a version stored without positions).
 */
export function placeNodes(flow: IvrFlow, layout: FlowLayout): FlowLayout {
  let automatic: FlowLayout | null = null
  const placed: FlowLayout = {}
  for (const id of Object.keys(flow.nodes)) {
    if (Object.hasOwn(layout, id)) {
      placed[id] = layout[id]
    } else {
      automatic ??= layeredLayout(flow)
      placed[id] = automatic[id]
    }
  }
  return placed
}

/** Checks whether two layouts place the same nodes at the same coordinates, in any key order. */
export function sameLayout(a: FlowLayout, b: FlowLayout): boolean {
  const ids = Object.keys(a)
  if (ids.length !== Object.keys(b).length) return false
  return ids.every((id) => Object.hasOwn(b, id) && a[id].x === b[id].x && a[id].y === b[id].y)
}

/** Splits typed key presses such as "1 2 -" or "1,2": "-" is no key before the timeout. */
export function parseKeys(text: string): { keys: string[]; invalid: string[] } {
  const tokens = text.split(/[\s,]+/).filter((token) => token !== '')
  const keys = tokens.map((token) => (token === '-' ? '' : token))
  return { keys, invalid: tokens.filter((token) => token !== '-' && !KEY_PATTERN.test(token)) }
}
