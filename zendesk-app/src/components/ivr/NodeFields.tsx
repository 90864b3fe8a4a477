import type { ReactNode } from 'react'
import { Button } from '@zendeskgarden/react-buttons'
import { Field, Hint, Input, Label, Select, Textarea } from '@zendeskgarden/react-forms'
import type { Prompt } from '../../ivr-api'
import { useI18n } from '../../i18n'
import { KEY_PATTERN } from './flow-model'

/** Two text areas, Italian and English, for one prompt. An optional prompt with both empty is left out. */
export function PromptFields({ label, hint, value, optional, onChange }: { label: string; hint?: string; value: Prompt | undefined; optional?: boolean; onChange(value: Prompt | undefined): void }) {
  const { t } = useI18n()
  const current = value ?? { it: '', en: '' }
  const update = (language: 'it' | 'en', text: string) => {
    const next = { ...current, [language]: text }
    onChange(optional && next.it === '' && next.en === '' ? undefined : next)
  }
  return (
    <fieldset style={{ border: 'none', padding: 0, margin: 0, display: 'grid', gap: 6 }}>
      <legend style={{ fontWeight: 600, fontSize: 14, marginBottom: 4 }}>{label}</legend>
      {(hint || optional) && <Hint>{[hint, optional ? t('ivr.panel.optional_prompt') : ''].filter(Boolean).join(' ')}</Hint>}
      {(['it', 'en'] as const).map((language) => (
        <Field key={language}>
          <Label>{t(`ivr.panel.language_${language}`)}</Label>
          <Textarea minRows={2} maxRows={6} value={current[language]} onChange={(event) => update(language, event.target.value)} />
        </Field>
      ))}
    </fieldset>
  )
}

/** Renders a select of the flow's nodes for one link; an empty value means the link is not set yet. */
export function TargetSelect({ label, value, nodeIds, onChange }: { label: string; value: string; nodeIds: string[]; onChange(value: string): void }) {
  const { t } = useI18n()
  const ids = value !== '' && !nodeIds.includes(value) ? [...nodeIds, value] : nodeIds
  return (
    <Field>
      <Label>{label}</Label>
      <Select value={value} onChange={(event) => onChange(event.target.value)}>
        <option value="">{t('ivr.panel.choose_node')}</option>
        {ids.map((id) => (
          <option key={id} value={id}>
            {nodeIds.includes(id) ? id : t('ivr.panel.missing_node', { id })}
          </option>
        ))}
      </Select>
    </Field>
  )
}

/** Renders a select of the bridge's queues; a queue id that no longer exists stays visible as missing. */
export function QueueSelect({ value, queues, onChange }: { value: string; queues: Array<{ id: string; name: string }>; onChange(value: string): void }) {
  const { t } = useI18n()
  const known = queues.some((queue) => queue.id === value)
  return (
    <Field>
      <Label>{t('ivr.panel.queue')}</Label>
      <Select value={value} onChange={(event) => onChange(event.target.value)}>
        <option value="">{t('ivr.panel.choose_queue')}</option>
        {queues.map((queue) => (
          <option key={queue.id} value={queue.id}>
            {queue.name === queue.id ? queue.id : `${queue.name} (${queue.id})`}
          </option>
        ))}
        {value !== '' && !known && <option value={value}>{t('ivr.panel.missing_queue', { id: value })}</option>}
      </Select>
    </Field>
  )
}

/** Renders one key of a menu or language choice, limited to 0-9, * and #. */
export function KeyInput({ label, value, onChange }: { label: string; value: string; onChange(value: string): void }) {
  const { t } = useI18n()
  const valid = value === '' || KEY_PATTERN.test(value)
  return (
    <Field>
      <Label>{label}</Label>
      {/* The last character typed replaces the key, so a key changes without clearing the field first. */}
      <Input value={value} style={{ width: 56 }} validation={valid ? undefined : 'error'} onChange={(event) => onChange(event.target.value.slice(-1))} />
      {!valid && <Hint>{t('ivr.panel.key_hint')}</Hint>}
    </Field>
  )
}

/** Renders a row with a key and a control, plus a button to remove the row. */
export function OptionRow({ children, removeLabel, onRemove }: { children: ReactNode; removeLabel: string; onRemove(): void }) {
  return (
    <div style={{ display: 'flex', gap: 8, alignItems: 'flex-end' }}>
      {children}
      <Button size="small" isDanger onClick={onRemove}>
        {removeLabel}
      </Button>
    </div>
  )
}
