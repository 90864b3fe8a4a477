import { Handle, Position, type Node, type NodeProps } from '@xyflow/react'
import type { FlowProblem, IvrNode } from '../../ivr-api'
import { useI18n, type Translate } from '../../i18n'
import { outputsOf } from './flow-model'

export interface CardData extends Record<string, unknown> {
  nodeId: string
  node: IvrNode
  isStart: boolean
  problems: FlowProblem[]
  /** Positions (1-based) of this node in the last preview's path. */
  steps: number[]
}

const CARD_WIDTH = 210
const SUMMARY_LENGTH = 90

/** Names a link for its edge and handle: the menu key, "no key", "open", "closed" and so on. */
export function outputLabel(t: Translate, node: IvrNode, field: string): string {
  if (field.startsWith('options/')) return field.slice('options/'.length)
  if (field === 'has_ticket' && node.type === 'open_ticket') return t('ivr.edge.has_ticket', { key: node.accept_digit })
  if (field === 'next') return node.type === 'language' ? t('ivr.edge.after_choice') : ''
  return t(`ivr.edge.${field}`)
}

/**
 * Words a problem in the viewer's language. A problem with a known field names it as the
 * node panel does; any other `invalid_field` keeps the bridge's English detail.
 */
export function problemText(t: Translate, problem: FlowProblem): string {
  const field = problem.field ?? ''
  switch (problem.code) {
    case 'empty_text': {
      const language = t(`ivr.problem.language.${problem.target === 'en' ? 'en' : 'it'}`)
      return t(`ivr.problem.empty_text.${knownField(field.split('/')[0], PROMPT_FIELDS)}`, { language, field })
    }
    case 'missing_link':
      if (field.startsWith('options/')) return t('ivr.problem.missing_link.option', { key: field.slice('options/'.length) })
      return t(`ivr.problem.missing_link.${knownField(field, LINK_FIELDS)}`, { field })
    case 'missing_field':
      return t(`ivr.problem.missing_field.${knownField(field, REQUIRED_FIELDS)}`, { field })
    case 'missing_node':
      return t('ivr.problem.missing_node', { field, target: problem.target })
    case 'unknown_queue':
      return t('ivr.problem.unknown_queue', { target: problem.target })
    case 'unreachable':
      return t('ivr.problem.unreachable')
    case 'silent_loop':
      return t('ivr.problem.silent_loop', { target: problem.target })
    case 'missing_start':
      return t('ivr.problem.missing_start', { target: problem.target })
    default:
      return t('ivr.problem.invalid_field', { message: problem.message })
  }
}

// Fields with their own wording under ivr.problem.<code>; any other field is worded as "other".
const PROMPT_FIELDS = ['text', 'prompt', 'known_caller_text']
const LINK_FIELDS = ['next', 'no_input', 'open', 'closed', 'has_ticket', 'no_ticket']
const REQUIRED_FIELDS = ['queue_id', 'accept_digit', 'prompt', 'text', 'options', 'start']

function knownField(field: string, known: string[]): string {
  return known.includes(field) ? field : 'other'
}

/** Returns the text a card shows: the prompt in the viewer's language, and the queue. */
export function nodeSummary(t: Translate, locale: 'it' | 'en', node: IvrNode): string {
  const prompt = 'prompt' in node ? node.prompt : 'text' in node ? node.text : undefined
  const text = prompt?.[locale] ?? ''
  const queue = 'queue_id' in node ? t('ivr.card.queue', { queue: node.queue_id || '?' }) : ''
  const summary = [text, queue].filter((part) => part !== '').join(' · ')
  return summary.length > SUMMARY_LENGTH ? `${summary.slice(0, SUMMARY_LENGTH - 1)}…` : summary
}

/** Renders one IVR node on the graph: kind, id, prompt summary, its problems, and a handle per link. */
export function NodeCard({ data, selected }: NodeProps<Node<CardData>>) {
  const { t, locale } = useI18n()
  const { node, nodeId, problems, steps, isStart } = data
  const outputs = outputsOf(node)
  const hasProblems = problems.length > 0
  let border = '#c2c8cc'
  if (hasProblems) border = '#cc3340'
  else if (steps.length > 0) border = '#1f73b7'
  else if (selected) border = '#2f3941'

  return (
    <div
      data-testid={`ivr-node-${nodeId}`}
      data-problem={hasProblems ? 'true' : undefined}
      data-walked={steps.length > 0 ? 'true' : undefined}
      style={{
        width: CARD_WIDTH,
        background: steps.length > 0 ? '#edf7ff' : '#fff',
        border: `2px solid ${border}`,
        borderRadius: 6,
        padding: '8px 10px 18px',
        fontSize: 12,
        boxShadow: selected ? '0 0 0 3px rgba(31, 115, 183, 0.25)' : undefined,
      }}
    >
      <Handle type="target" position={Position.Top} />
      <div style={{ display: 'flex', justifyContent: 'space-between', gap: 6, fontWeight: 600 }}>
        <span>{t(`ivr.kind.${node.type}`)}</span>
        <span style={{ color: '#68737d', fontWeight: 400 }}>{nodeId}</span>
      </div>
      <div style={{ display: 'flex', gap: 4, flexWrap: 'wrap', margin: '2px 0' }}>
        {isStart && <span style={{ color: '#038153', fontWeight: 600 }}>{t('ivr.card.start')}</span>}
        {steps.length > 0 && <span style={{ color: '#1f73b7', fontWeight: 600 }}>{t('ivr.card.steps', { steps: steps.join(', ') })}</span>}
      </div>
      <div style={{ color: '#2f3941', minHeight: 16 }}>{nodeSummary(t, locale, node)}</div>
      {problems.map((problem, index) => (
        <div key={index} style={{ color: '#cc3340', marginTop: 4 }}>
          {problemText(t, problem)}
        </div>
      ))}
      {outputs.map((output, index) => {
        const left = `${((index + 1) / (outputs.length + 1)) * 100}%`
        return (
          <div key={output.field}>
            <span style={{ position: 'absolute', bottom: 2, left, transform: 'translateX(-50%)', fontSize: 10, color: '#68737d', whiteSpace: 'nowrap' }}>
              {outputLabel(t, node, output.field)}
            </span>
            <Handle type="source" id={output.field} position={Position.Bottom} style={{ left }} />
          </div>
        )
      })}
    </div>
  )
}
