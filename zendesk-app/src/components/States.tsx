import { Button } from '@zendeskgarden/react-buttons'
import { Dots } from '@zendeskgarden/react-loaders'
import { Alert, Title } from '@zendeskgarden/react-notifications'
import { Paragraph } from '@zendeskgarden/react-typography'
import { useI18n } from '../i18n'

export function Loading() {
  const { t } = useI18n()
  return (
    <div role="status" aria-live="polite" style={{ padding: 12, display: 'flex', gap: 8, alignItems: 'center' }}>
      <Dots size={20} /> <span>{t('common.loading')}</span>
    </div>
  )
}

export function Empty({ text }: { text: string }) {
  return <Paragraph style={{ padding: '8px 0', color: '#68737d' }}>{text}</Paragraph>
}

export function ErrorState({ message, onRetry }: { message: string; onRetry?: () => void }) {
  const { t } = useI18n()
  return (
    <Alert type="error" role="alert">
      <Title>{t('common.error_title')}</Title>
      {message}
      {onRetry && (
        <div style={{ marginTop: 8 }}>
          <Button size="small" onClick={onRetry}>
            {t('common.retry')}
          </Button>
        </div>
      )}
    </Alert>
  )
}
