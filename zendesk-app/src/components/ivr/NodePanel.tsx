import { useEffect, useState } from 'react'
import { Button } from '@zendeskgarden/react-buttons'
import { Field, Hint, Input, Label, Select } from '@zendeskgarden/react-forms'
import { MD } from '@zendeskgarden/react-typography'
import type { FlowProblem, IvrFlow, IvrNode } from '../../ivr-api'
import { useI18n } from '../../i18n'
import { KEY_PATTERN, NODE_ID_PATTERN } from './flow-model'
import { problemText } from './NodeCard'
import { KeyInput, OptionRow, PromptFields, QueueSelect, TargetSelect } from './NodeFields'

export interface NodePanelProps {
  flow: IvrFlow
  nodeId: string
  problems: FlowProblem[]
  queues: Array<{ id: string; name: string }>
  onChange(flow: IvrFlow, selectedId?: string): void
  /** Renames a node, the links to it and its position on the graph. */
  onRename(from: string, to: string): void
  onDelete(id: string): void
}

/** Renders the side panel that edits the selected node: id, start, prompts in Italian and English, links and queue. */
export function NodePanel({ flow, nodeId, problems, queues, onChange, onRename, onDelete }: NodePanelProps) {
  const { t } = useI18n()
  const node = flow.nodes[nodeId]
  const [newId, setNewId] = useState(nodeId)
  useEffect(() => setNewId(nodeId), [nodeId])
  if (!node) return null

  const nodeIds = Object.keys(flow.nodes).sort()
  const update = (changed: IvrNode) => onChange({ ...flow, nodes: { ...flow.nodes, [nodeId]: changed } })
  const renameError = newId === nodeId ? null : !NODE_ID_PATTERN.test(newId) ? t('ivr.panel.id_invalid') : newId in flow.nodes ? t('ivr.panel.id_taken', { id: newId }) : null

  return (
    <aside aria-label={t('ivr.panel.title', { id: nodeId })} style={{ display: 'grid', gap: 12, alignContent: 'start', padding: 12, border: '1px solid #d8dcde', borderRadius: 4, maxHeight: 560, overflowY: 'auto' }}>
      <MD isBold>{t('ivr.panel.title', { id: nodeId })}</MD>
      <Hint>{t(`ivr.kind_help.${node.type}`)}</Hint>
      {problems.map((problem, index) => (
        <div key={index} style={{ color: '#cc3340', fontSize: 13 }}>
          {problemText(t, problem)}
        </div>
      ))}
      <div style={{ display: 'flex', gap: 8, alignItems: 'flex-end' }}>
        <Field style={{ flex: 1 }}>
          <Label>{t('ivr.panel.id')}</Label>
          <Input value={newId} validation={renameError ? 'error' : undefined} onChange={(event) => setNewId(event.target.value)} />
        </Field>
        <Button size="small" disabled={newId === nodeId || renameError !== null} onClick={() => onRename(nodeId, newId)}>
          {t('ivr.panel.rename')}
        </Button>
      </div>
      {renameError && <Hint style={{ color: '#cc3340' }}>{renameError}</Hint>}
      <div style={{ display: 'flex', gap: 8, flexWrap: 'wrap' }}>
        <Button size="small" disabled={flow.start === nodeId} onClick={() => onChange({ ...flow, start: nodeId })}>
          {flow.start === nodeId ? t('ivr.panel.is_start') : t('ivr.panel.make_start')}
        </Button>
        <Button size="small" isDanger onClick={() => onDelete(nodeId)}>
          {t('ivr.panel.delete')}
        </Button>
      </div>
      <KindFields node={node} nodeIds={nodeIds} queues={queues} onChange={update} />
    </aside>
  )
}

function KindFields({ node, nodeIds, queues, onChange }: { node: IvrNode; nodeIds: string[]; queues: NodePanelProps['queues']; onChange(node: IvrNode): void }) {
  const { t } = useI18n()
  const target = (label: string, value: string, set: (value: string) => void) => <TargetSelect label={label} value={value} nodeIds={nodeIds} onChange={set} />
  switch (node.type) {
    case 'say':
      return (
        <>
          <PromptFields label={t('ivr.panel.text')} value={node.text} onChange={(text) => onChange({ ...node, text: text! })} />
          <PromptFields label={t('ivr.panel.known_caller_text')} hint={t('ivr.panel.name_hint')} value={node.known_caller_text} optional onChange={(text) => onChange(withOptional(node, 'known_caller_text', text))} />
          {target(t('ivr.panel.next'), node.next, (next) => onChange({ ...node, next }))}
        </>
      )
    case 'menu':
      return (
        <>
          <PromptFields label={t('ivr.panel.prompt')} value={node.prompt} onChange={(prompt) => onChange({ ...node, prompt: prompt! })} />
          <MenuOptions node={node} nodeIds={nodeIds} onChange={onChange} />
          {target(t('ivr.panel.no_input'), node.no_input, (no_input) => onChange({ ...node, no_input }))}
          <Field>
            <Label>{t('ivr.panel.timeout')}</Label>
            <Input type="number" min={1} max={10} value={node.timeout_seconds ?? 5} onChange={(event) => onChange({ ...node, timeout_seconds: Number(event.target.value) })} />
          </Field>
        </>
      )
    case 'language':
      return (
        <>
          <PromptFields label={t('ivr.panel.prompt')} value={node.prompt} onChange={(prompt) => onChange({ ...node, prompt: prompt! })} />
          <LanguageOptions node={node} onChange={onChange} />
          {target(t('ivr.panel.next'), node.next, (next) => onChange({ ...node, next }))}
        </>
      )
    case 'business_hours':
      return (
        <>
          <QueueSelect value={node.queue_id} queues={queues} onChange={(queue_id) => onChange({ ...node, queue_id })} />
          <Hint>{t('ivr.panel.hours_hint')}</Hint>
          {target(t('ivr.edge.open'), node.open, (open) => onChange({ ...node, open }))}
          {target(t('ivr.edge.closed'), node.closed, (closed) => onChange({ ...node, closed }))}
        </>
      )
    case 'open_ticket':
      return (
        <>
          <PromptFields label={t('ivr.panel.prompt')} hint={t('ivr.panel.ticket_hint')} value={node.prompt} onChange={(prompt) => onChange({ ...node, prompt: prompt! })} />
          <KeyInput label={t('ivr.panel.accept_digit')} value={node.accept_digit} onChange={(accept_digit) => onChange({ ...node, accept_digit })} />
          {target(t('ivr.panel.has_ticket'), node.has_ticket, (has_ticket) => onChange({ ...node, has_ticket }))}
          {target(t('ivr.panel.no_ticket'), node.no_ticket, (no_ticket) => onChange({ ...node, no_ticket }))}
        </>
      )
    case 'queue':
      return <QueueSelect value={node.queue_id} queues={queues} onChange={(queue_id) => onChange({ ...node, queue_id })} />
    case 'callback':
      return (
        <>
          <QueueSelect value={node.queue_id} queues={queues} onChange={(queue_id) => onChange({ ...node, queue_id })} />
          <PromptFields label={t('ivr.panel.prompt')} value={node.prompt} optional onChange={(prompt) => onChange(withOptional(node, 'prompt', prompt))} />
        </>
      )
    case 'voicemail':
      return <PromptFields label={t('ivr.panel.prompt')} value={node.prompt} optional onChange={(prompt) => onChange(withOptional(node, 'prompt', prompt))} />
    case 'hangup':
      return <PromptFields label={t('ivr.panel.text')} value={node.text} optional onChange={(text) => onChange(withOptional(node, 'text', text))} />
  }
}

/** Sets an optional field, or removes it when `value` is undefined, so the schema check gets no empty prompt. */
function withOptional<T extends IvrNode>(node: T, field: string, value: unknown): T {
  const copy: Record<string, unknown> = { ...node }
  if (value === undefined) delete copy[field]
  else copy[field] = value
  return copy as T
}

function MenuOptions({ node, nodeIds, onChange }: { node: Extract<IvrNode, { type: 'menu' }>; nodeIds: string[]; onChange(node: IvrNode): void }) {
  const { t } = useI18n()
  const entries = Object.entries(node.options).sort(([a], [b]) => a.localeCompare(b))
  const setOptions = (options: Record<string, string>) => onChange({ ...node, options })
  const rekey = (from: string, to: string) => setOptions(Object.fromEntries(entries.map(([key, value]) => [key === from ? to : key, value])))
  const freeKey = '1234567890*#'.split('').find((key) => !(key in node.options))
  return (
    <fieldset style={{ border: 'none', padding: 0, margin: 0, display: 'grid', gap: 6 }}>
      <legend style={{ fontWeight: 600, fontSize: 14, marginBottom: 4 }}>{t('ivr.panel.options')}</legend>
      {entries.map(([key, value]) => (
        <OptionRow key={key} removeLabel={t('ivr.panel.remove')} onRemove={() => setOptions(Object.fromEntries(entries.filter(([other]) => other !== key)))}>
          <KeyInput label={t('ivr.panel.key')} value={key} onChange={(next) => KEY_PATTERN.test(next) && !(next in node.options) && rekey(key, next)} />
          <div style={{ flex: 1 }}>
            <TargetSelect label={t('ivr.panel.goes_to')} value={value} nodeIds={nodeIds} onChange={(target) => setOptions({ ...node.options, [key]: target })} />
          </div>
        </OptionRow>
      ))}
      {freeKey && (
        <Button size="small" onClick={() => setOptions({ ...node.options, [freeKey]: '' })}>
          {t('ivr.panel.add_option')}
        </Button>
      )}
    </fieldset>
  )
}

function LanguageOptions({ node, onChange }: { node: Extract<IvrNode, { type: 'language' }>; onChange(node: IvrNode): void }) {
  const { t } = useI18n()
  const entries = Object.entries(node.options).sort(([a], [b]) => a.localeCompare(b))
  const setOptions = (options: Record<string, 'it' | 'en'>) => onChange({ ...node, options })
  const freeKey = '1234567890*#'.split('').find((key) => !(key in node.options))
  return (
    <fieldset style={{ border: 'none', padding: 0, margin: 0, display: 'grid', gap: 6 }}>
      <legend style={{ fontWeight: 600, fontSize: 14, marginBottom: 4 }}>{t('ivr.panel.options')}</legend>
      {entries.map(([key, language]) => (
        <OptionRow key={key} removeLabel={t('ivr.panel.remove')} onRemove={() => setOptions(Object.fromEntries(entries.filter(([other]) => other !== key)))}>
          <KeyInput
            label={t('ivr.panel.key')}
            value={key}
            onChange={(next) => KEY_PATTERN.test(next) && !(next in node.options) && setOptions(Object.fromEntries(entries.map(([other, value]) => [other === key ? next : other, value])))}
          />
          <Field style={{ flex: 1 }}>
            <Label>{t('ivr.panel.language')}</Label>
            <Select value={language} onChange={(event) => setOptions({ ...node.options, [key]: event.target.value as 'it' | 'en' })}>
              <option value="it">{t('ivr.panel.language_it')}</option>
              <option value="en">{t('ivr.panel.language_en')}</option>
            </Select>
          </Field>
        </OptionRow>
      ))}
      {freeKey && (
        <Button size="small" onClick={() => setOptions({ ...node.options, [freeKey]: 'it' })}>
          {t('ivr.panel.add_option')}
        </Button>
      )}
    </fieldset>
  )
}
