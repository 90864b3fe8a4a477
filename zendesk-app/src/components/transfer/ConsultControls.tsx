import type { ReactNode } from 'react'
import { Button } from '@zendeskgarden/react-buttons'
import { SM } from '@zendeskgarden/react-typography'
import { useI18n } from '../../i18n'
import type { ConsultAction, TransferState } from './transfer-api'

export interface ConsultControlsProps {
  consult: NonNullable<TransferState['consult']>
  isDisabled: boolean
  pending: string | null
  onAction: (action: ConsultAction) => void
  busy: (key: string) => ReactNode
}

/**
 * Renders what the agent can do during a consultation. While consulting: complete, return or
 * conference. In a conference: leave (the target keeps the customer), drop the target
 * (return) or end the call. After the target hung up: only return.
 */
export function ConsultControls({ consult, isDisabled, pending, onAction, busy }: ConsultControlsProps) {
  const { t } = useI18n()
  const actions: Array<{ action: ConsultAction; label: string; isDanger?: boolean }> =
    consult.state === 'target_left'
      ? [{ action: 'return', label: t('transfer.return') }]
      : consult.state === 'conference'
        ? [
            { action: 'complete', label: t('transfer.leave') },
            { action: 'return', label: t('transfer.return') },
            { action: 'end', label: t('transfer.end'), isDanger: true },
          ]
        : [
            { action: 'complete', label: t('transfer.complete') },
            { action: 'return', label: t('transfer.return') },
            { action: 'conference', label: t('transfer.conference') },
          ]
  const status = {
    dialing: t('transfer.dialing', { target: consult.target }),
    consulting: t('transfer.consulting', { target: consult.target }),
    conference: t('transfer.in_conference', { target: consult.target }),
    target_left: t('transfer.target_left', { target: consult.target }),
  }[consult.state]

  return (
    <div>
      <SM>{status}</SM>
      <div style={{ display: 'flex', gap: 4, flexWrap: 'wrap', marginTop: 4 }}>
        {actions.map(({ action, label, isDanger }) => (
          <Button
            key={action}
            size="small"
            isDanger={isDanger}
            disabled={isDisabled}
            aria-disabled={pending !== null ? true : undefined}
            aria-busy={pending === action ? true : undefined}
            onClick={() => onAction(action)}
          >
            {label}
            {busy(action)}
          </Button>
        ))}
      </div>
    </div>
  )
}
