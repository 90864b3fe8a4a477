import type { FormEvent } from 'react'
import { Button } from '@zendeskgarden/react-buttons'
import { Field, Hint, Input, Label, Message, Select } from '@zendeskgarden/react-forms'
import { useI18n } from '../../i18n'
import { REPORT_GROUPINGS, type ReportGroupBy } from '../../reports-api'
import type { ReportFormErrors, ReportFormValues } from './report-values'

interface ReportFormProps {
  values: ReportFormValues
  errors: ReportFormErrors
  onChange(values: ReportFormValues): void
  onSubmit(): void
  onExport(): void
  isExporting: boolean
}

/** Renders the report's parameters: date range, time zone, grouping, short-abandon threshold and service level. */
export function ReportForm({ values, errors, onChange, onSubmit, onExport, isExporting }: ReportFormProps) {
  const { t } = useI18n()
  const set = (key: keyof ReportFormValues) => (event: { target: { value: string } }) => onChange({ ...values, [key]: event.target.value })
  const field = (key: keyof ReportFormValues, label: string, options: { type?: string; hint?: string; inputMode?: 'numeric' } = {}) => (
    <Field>
      <Label>{label}</Label>
      {options.hint && <Hint>{options.hint}</Hint>}
      <Input
        type={options.type ?? 'text'}
        inputMode={options.inputMode}
        value={values[key]}
        onChange={set(key)}
        validation={errors[key] ? 'error' : undefined}
      />
      {errors[key] && <Message validation="error">{errors[key]}</Message>}
    </Field>
  )

  return (
    <form
      aria-label={t('reports.form_label')}
      style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(170px, 1fr))', gap: 8, alignItems: 'start' }}
      onSubmit={(event: FormEvent) => {
        event.preventDefault()
        onSubmit()
      }}
    >
      {field('fromDay', t('reports.from'), { type: 'date' })}
      {field('toDay', t('reports.to'), { type: 'date' })}
      {field('timeZone', t('reports.time_zone'), { hint: t('reports.time_zone_hint') })}
      <Field>
        <Label>{t('reports.group_by')}</Label>
        <Select value={values.groupBy} onChange={(event) => onChange({ ...values, groupBy: event.target.value as ReportGroupBy })}>
          {REPORT_GROUPINGS.map((groupBy) => (
            <option key={groupBy} value={groupBy}>
              {t(`reports.grouping.${groupBy}`)}
            </option>
          ))}
        </Select>
      </Field>
      {field('shortAbandonSeconds', t('reports.short_abandon_seconds'), { inputMode: 'numeric', hint: t('reports.short_abandon_hint') })}
      {field('serviceLevelTarget', t('reports.service_level_target'), { inputMode: 'numeric', hint: t('reports.service_level_target_hint') })}
      {field('serviceLevelSeconds', t('reports.service_level_seconds'), { inputMode: 'numeric', hint: t('reports.service_level_seconds_hint') })}
      {/* The buttons take a whole row, because a narrow grid cell is too small for both labels in Italian. */}
      <div style={{ display: 'flex', flexWrap: 'wrap', gap: 8, gridColumn: '1 / -1' }}>
        <Button type="submit" isPrimary>
          {t('reports.apply')}
        </Button>
        <Button type="button" onClick={onExport} disabled={isExporting}>
          {isExporting ? t('reports.exporting') : t('reports.export')}
        </Button>
      </div>
    </form>
  )
}
