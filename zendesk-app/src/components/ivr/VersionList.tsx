import { useState } from 'react'
import { Button } from '@zendeskgarden/react-buttons'
import { Alert } from '@zendeskgarden/react-notifications'
import { Tag } from '@zendeskgarden/react-tags'
import { MD } from '@zendeskgarden/react-typography'
import { formatDateTime } from '../../format'
import type { FlowDetail } from '../../ivr-api'
import { useI18n } from '../../i18n'

export interface VersionListProps {
  detail: FlowDetail
  busy: boolean
  onOpen(version: number): void
  onRollback(version: number): void
}

/**
 * Lists a flow's published versions, newest first. A rollback needs a confirmation, then
 * publishes a copy of the old version, so calls move to it and the history keeps every version.
 */
export function VersionList({ detail, busy, onOpen, onRollback }: VersionListProps) {
  const { t, locale, timeZone } = useI18n()
  const [confirming, setConfirming] = useState<number | null>(null)
  return (
    <section aria-label={t('ivr.versions.title')} style={{ display: 'grid', gap: 8, padding: 12, border: '1px solid #d8dcde', borderRadius: 4, alignContent: 'start' }}>
      <MD isBold tag="h2">
        {t('ivr.versions.title')}
      </MD>
      {detail.numbers.length > 0 && <div style={{ fontSize: 13, color: '#68737d' }}>{t('ivr.versions.numbers', { numbers: detail.numbers.join(', ') })}</div>}
      <ul style={{ listStyle: 'none', margin: 0, padding: 0, display: 'grid', gap: 6 }}>
        {detail.versions.map((entry) => (
          <li key={entry.version} style={{ display: 'flex', gap: 8, alignItems: 'center', flexWrap: 'wrap' }}>
            <span style={{ minWidth: 40, fontWeight: 600 }}>v{entry.version}</span>
            <span style={{ color: '#68737d', fontSize: 13 }}>{formatDateTime(entry.created_at, locale, timeZone)}</span>
            {entry.version === detail.version && (
              <Tag hue="green" size="small">
                {t('ivr.versions.live')}
              </Tag>
            )}
            <Button size="small" isBasic onClick={() => onOpen(entry.version)}>
              {t('ivr.versions.open')}
            </Button>
            {entry.version !== detail.version && (
              <Button size="small" disabled={busy} onClick={() => setConfirming(entry.version)}>
                {t('ivr.versions.rollback')}
              </Button>
            )}
          </li>
        ))}
      </ul>
      {confirming !== null && (
        <Alert type="warning" role="alertdialog" aria-label={t('ivr.versions.confirm_title')}>
          <div>{t('ivr.versions.confirm', { version: confirming, next: detail.version + 1 })}</div>
          <div style={{ display: 'flex', gap: 8, marginTop: 8 }}>
            <Button
              size="small"
              isPrimary
              disabled={busy}
              onClick={() => {
                onRollback(confirming)
                setConfirming(null)
              }}
            >
              {t('ivr.versions.confirm_button', { version: confirming })}
            </Button>
            <Button size="small" onClick={() => setConfirming(null)}>
              {t('ivr.cancel')}
            </Button>
          </div>
        </Alert>
      )}
    </section>
  )
}
