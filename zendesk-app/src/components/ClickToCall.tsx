import { useEffect, useRef, useState } from 'react'
import { Button } from '@zendeskgarden/react-buttons'
import { Dots } from '@zendeskgarden/react-loaders'
import { Alert } from '@zendeskgarden/react-notifications'
import { LG, SM } from '@zendeskgarden/react-typography'
import { formatPhoneNumber } from '../devices-api'
import { useI18n } from '../i18n'

export interface ClickToCallProps {
  /** The contact's name, shown above the Call buttons. */
  name: string
  /** The contact's phone numbers, one Call button each. */
  numbers: string[]
  /** True while a live call is shown next to this contact, so the agent cannot place a second one from here. */
  hasLiveCall: boolean
  /** Asks the bridge to place the call and returns the new call's id. */
  placeCall: (number: string) => Promise<string>
  onDialed: (callId: string) => void
  /** Shown in place of the buttons when the contact has no number. */
  noPhoneText?: string
}

/** Renders a contact with one click-to-call button per phone number, and the bridge's reply. */
export function ClickToCall({ name, numbers, hasLiveCall, placeCall, onDialed, noPhoneText }: ClickToCallProps) {
  const { t } = useI18n()
  const [notice, setNotice] = useState<{ text: string; isDialing: boolean } | null>(null)
  const [isDialing, setDialing] = useState(false)
  const liveSeen = useRef(false)
  // The "your phone rings first" note is about the call just placed, so it goes when that call ends.
  useEffect(() => {
    if (hasLiveCall) {
      liveSeen.current = true
      return
    }
    if (!liveSeen.current) return
    liveSeen.current = false
    setNotice((current) => (current?.isDialing ? null : current))
  }, [hasLiveCall])
  // The button stays focusable (aria-disabled, not disabled), so keyboard focus is not lost when a call starts.
  const isBlocked = isDialing || hasLiveCall
  const dial = async (number: string) => {
    if (isBlocked) return
    setDialing(true)
    setNotice(null)
    try {
      const callId = await placeCall(number)
      setNotice({ text: t('sidebar.dialing', { number: formatPhoneNumber(number) }), isDialing: true })
      onDialed(callId)
    } catch (error) {
      setNotice({ text: error instanceof Error ? error.message : String(error), isDialing: false })
    } finally {
      setDialing(false)
    }
  }
  return (
    <section>
      <SM style={{ color: '#68737d' }}>{t('sidebar.contact')}</SM>
      <LG isBold>{name}</LG>
      {numbers.length > 0 ? (
        numbers.map((number) => (
          <div key={number}>
            <Button
              size="small"
              isPrimary
              // Garden styles only the disabled attribute, so the blocked look is set here.
              style={{ marginTop: 4, ...(isBlocked ? { opacity: 0.5, cursor: 'not-allowed' } : {}) }}
              aria-disabled={isBlocked ? true : undefined}
              aria-busy={isDialing ? true : undefined}
              onClick={() => void dial(number)}
            >
              {t('sidebar.call_requester', { number: formatPhoneNumber(number) })}
              {isDialing && (
                <>
                  {' '}
                  <Dots size={12} aria-label={t('sidebar.sending')} />
                </>
              )}
            </Button>
          </div>
        ))
      ) : (
        <SM>{noPhoneText ?? t('sidebar.no_phone')}</SM>
      )}
      {notice && (
        <Alert type="info" style={{ marginTop: 8 }} role="status">
          {notice.text}
        </Alert>
      )}
    </section>
  )
}
