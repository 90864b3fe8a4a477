import { Field, Label, Select } from '@zendeskgarden/react-forms'
import { useI18n } from '../i18n'

const CHOICES = ['available', 'away', 'offline'] as const

export interface IStateSelectProps {
  state: string
  onChange: (state: (typeof CHOICES)[number]) => void
  isDisabled?: boolean
}

/** Selects the agent's own state; routing's states (ringing, on a call) show but cannot be chosen. */
export function StateSelect({ state, onChange, isDisabled = false }: IStateSelectProps) {
  const { t } = useI18n()
  const isRoutingState = !CHOICES.includes(state as never)
  return (
    <Field>
      <Label>{t('state.label')}</Label>
      <Select value={state} disabled={isDisabled || isRoutingState} onChange={(event) => onChange(event.target.value as (typeof CHOICES)[number])}>
        {isRoutingState && <option value={state}>{t(`state.${state}`)}</option>}
        {CHOICES.map((choice) => (
          <option key={choice} value={choice}>
            {t(`state.${choice}`)}
          </option>
        ))}
      </Select>
    </Field>
  )
}
