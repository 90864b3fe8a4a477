/** Kinds of IVR flow problem, so a client can word each one in its own language. */
export type FlowProblemCode =
  | 'empty_text'
  | 'missing_link'
  | 'missing_field'
  | 'invalid_field'
  | 'missing_start'
  | 'missing_node'
  | 'unknown_queue'
  | 'unreachable'
  | 'silent_loop'

/**
 * One problem of a flow, tied to the node it is on (null for the flow's start or the whole
 * flow). `field` is the node's field, such as `options/3`, or null for the whole node.
 * `target` is the missing node or queue, the loop written as `a -> b -> a`, the language
 * (`it` or `en`) of an `empty_text`, or the value of a `missing_link`.
 */
export interface FlowNodeProblem {
  node_id: string | null
  field: string | null
  code: FlowProblemCode
  target: string
  message: string
}
