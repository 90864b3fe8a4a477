import { useEffect, useState } from 'react'
import { Button } from '@zendeskgarden/react-buttons'
import { Field, Hint, Input, Label, Select } from '@zendeskgarden/react-forms'
import { MD } from '@zendeskgarden/react-typography'
import type { IvrApi, IvrFlow, PreviewRequest, PreviewResult } from '../../ivr-api'
import { useI18n, type Translate } from '../../i18n'
import { ErrorState } from '../States'
import { parseKeys } from './flow-model'

export interface PreviewPanelProps {
  ivr: IvrApi
  flow: IvrFlow
  /** Gets the node ids of the walked path, or an empty list to clear the highlight. */
  onWalked(nodeIds: string[]): void
}

/**
 * Walks the draft on the bridge with typed key presses, as a caller would, and lists the
 * path: each node, what the caller hears, the key it took, and where the call ends up.
 */
export function PreviewPanel({ ivr, flow, onWalked }: PreviewPanelProps) {
  const { t } = useI18n()
  const [keysText, setKeysText] = useState('')
  const [language, setLanguage] = useState<'it' | 'en'>('it')
  const [hours, setHours] = useState<'schedule' | 'open' | 'closed'>('schedule')
  const [callerName, setCallerName] = useState('')
  const [ticketId, setTicketId] = useState('')
  const [result, setResult] = useState<PreviewResult | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [running, setRunning] = useState(false)
  // A result belongs to the draft it walked, so an edit clears it.
  useEffect(() => setResult(null), [flow])

  const run = async () => {
    const { keys, invalid } = parseKeys(keysText)
    if (invalid.length > 0) {
      setError(t('ivr.preview.bad_keys', { keys: invalid.join(' ') }))
      return
    }
    if (ticketId !== '' && !/^[1-9]\d{0,15}$/.test(ticketId)) {
      setError(t('ivr.preview.bad_ticket', { value: ticketId }))
      return
    }
    const request: PreviewRequest = { definition: flow, keys, language }
    if (hours !== 'schedule') request.business_hours = hours
    if (callerName.trim() !== '' || ticketId !== '') request.caller = { ...(callerName.trim() ? { name: callerName.trim() } : {}), ...(ticketId ? { open_ticket_id: Number(ticketId) } : {}) }
    setRunning(true)
    setError(null)
    try {
      const walked = await ivr.preview(request)
      setResult(walked)
      onWalked(walked.steps.map((step) => step.node_id))
    } catch (failure) {
      setResult(null)
      onWalked([])
      setError((failure as Error).message)
    } finally {
      setRunning(false)
    }
  }

  return (
    <section aria-label={t('ivr.preview.title')} style={{ display: 'grid', gap: 8, padding: 12, border: '1px solid #d8dcde', borderRadius: 4 }}>
      <MD isBold tag="h2">
        {t('ivr.preview.title')}
      </MD>
      <form
        style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(170px, 1fr))', gap: 8, alignItems: 'end' }}
        onSubmit={(event) => {
          event.preventDefault()
          void run()
        }}
      >
        <Field>
          <Label>{t('ivr.preview.keys')}</Label>
          <Input value={keysText} placeholder="1 2" onChange={(event) => setKeysText(event.target.value)} />
          <Hint>{t('ivr.preview.keys_hint')}</Hint>
        </Field>
        <Field>
          <Label>{t('ivr.preview.language')}</Label>
          <Select value={language} onChange={(event) => setLanguage(event.target.value as 'it' | 'en')}>
            <option value="it">{t('ivr.panel.language_it')}</option>
            <option value="en">{t('ivr.panel.language_en')}</option>
          </Select>
        </Field>
        <Field>
          <Label>{t('ivr.preview.hours')}</Label>
          <Select value={hours} onChange={(event) => setHours(event.target.value as typeof hours)}>
            <option value="schedule">{t('ivr.preview.hours_schedule')}</option>
            <option value="open">{t('ivr.preview.hours_open')}</option>
            <option value="closed">{t('ivr.preview.hours_closed')}</option>
          </Select>
        </Field>
        <Field>
          <Label>{t('ivr.preview.caller_name')}</Label>
          <Input value={callerName} onChange={(event) => setCallerName(event.target.value)} />
        </Field>
        <Field>
          <Label>{t('ivr.preview.ticket')}</Label>
          <Input value={ticketId} inputMode="numeric" onChange={(event) => setTicketId(event.target.value.trim())} />
        </Field>
        <div>
          <Button type="submit" isPrimary disabled={running}>
            {t('ivr.preview.run')}
          </Button>
        </div>
      </form>
      {error && <ErrorState message={error} />}
      {result && <PreviewSteps result={result} />}
    </section>
  )
}

function PreviewSteps({ result }: { result: PreviewResult }) {
  const { t } = useI18n()
  return (
    <div data-testid="ivr-preview-result" style={{ display: 'grid', gap: 6 }}>
      <ol style={{ margin: 0, paddingLeft: 20, display: 'grid', gap: 4 }}>
        {result.steps.map((step, index) => (
          <li key={index}>
            <strong>{step.node_id}</strong> ({t(`ivr.kind.${step.node_type}`)})
            {step.heard.map((text, line) => (
              <div key={line} style={{ color: '#2f3941' }}>
                {t('ivr.preview.hears', { text })}
              </div>
            ))}
            {step.key !== null && <div style={{ color: '#1f73b7' }}>{step.key === '' ? t('ivr.preview.no_key') : t('ivr.preview.pressed', { key: step.key })}</div>}
          </li>
        ))}
      </ol>
      <MD isBold>{outcomeText(t, result)}</MD>
      {result.unused_keys.length > 0 && <Hint>{t('ivr.preview.unused', { keys: result.unused_keys.map((key) => key || '-').join(' ') })}</Hint>}
    </div>
  )
}

function outcomeText(t: Translate, result: PreviewResult): string {
  const { outcome } = result
  switch (outcome.type) {
    case 'input':
      return t('ivr.outcome.input', { node: outcome.node_id ?? '' })
    case 'queue':
      return t('ivr.outcome.queue', { queue: outcome.queue_id ?? '' })
    case 'callback':
      return t('ivr.outcome.callback', { queue: outcome.queue_id ?? '' })
    default:
      return t(`ivr.outcome.${outcome.type}`)
  }
}
