import { useState } from 'react'
import { Button } from '@zendeskgarden/react-buttons'
import { Field, Hint, Input, Label, Select } from '@zendeskgarden/react-forms'
import type { FlowSummary } from '../../ivr-api'
import { useI18n } from '../../i18n'

/** The bridge's pattern for flow ids. */
const FLOW_ID_PATTERN = /^[a-z0-9][a-z0-9_-]{0,62}$/

export interface FlowPickerProps {
  flows: FlowSummary[]
  selected: string | null
  onSelect(id: string): void
  onCreate(id: string): void
}

/** Picks a published flow, or names a new one, which exists once its first version is published. */
export function FlowPicker({ flows, selected, onSelect, onCreate }: FlowPickerProps) {
  const { t } = useI18n()
  const [newId, setNewId] = useState('')
  const taken = flows.some((flow) => flow.id === newId)
  let error: string | null = null
  if (newId !== '' && !FLOW_ID_PATTERN.test(newId)) error = t('ivr.picker.id_invalid')
  else if (taken) error = t('ivr.picker.id_taken', { id: newId })
  const known = selected === null || flows.some((flow) => flow.id === selected)

  return (
    <div style={{ display: 'flex', gap: 12, flexWrap: 'wrap', alignItems: 'flex-end' }}>
      <Field style={{ minWidth: 220 }}>
        <Label>{t('ivr.picker.flow')}</Label>
        <Select value={selected ?? ''} onChange={(event) => event.target.value && onSelect(event.target.value)}>
          <option value="" disabled>
            {flows.length === 0 ? t('ivr.picker.none') : t('ivr.picker.choose')}
          </option>
          {flows.map((flow) => (
            <option key={flow.id} value={flow.id}>
              {t('ivr.picker.option', { id: flow.id, version: flow.version })}
            </option>
          ))}
          {!known && <option value={selected ?? ''}>{t('ivr.picker.unpublished', { id: selected ?? '' })}</option>}
        </Select>
      </Field>
      <form
        style={{ display: 'flex', gap: 8, alignItems: 'flex-end' }}
        onSubmit={(event) => {
          event.preventDefault()
          if (newId === '' || error) return
          onCreate(newId)
          setNewId('')
        }}
      >
        <Field>
          <Label>{t('ivr.picker.new_id')}</Label>
          <Input value={newId} placeholder="support-line" validation={error ? 'error' : undefined} onChange={(event) => setNewId(event.target.value)} />
          {error && <Hint style={{ color: '#cc3340' }}>{error}</Hint>}
        </Field>
        <Button type="submit" disabled={newId === '' || error !== null}>
          {t('ivr.picker.create')}
        </Button>
      </form>
    </div>
  )
}
