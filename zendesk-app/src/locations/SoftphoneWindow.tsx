import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import type { Root } from 'react-dom/client'
import { ThemeProvider } from '@zendeskgarden/react-theming'
import { MD } from '@zendeskgarden/react-typography'
import { BridgeApi } from '../bridge-api'
import type { SoftphoneHandoff } from '../devices-api'
import { ErrorState, Loading } from '../components/States'
import { Softphone } from '../components/softphone/Softphone'
import type { SoftphoneStatus } from '../components/softphone/use-softphone'
import { SOFTPHONE_CHANNEL, WINDOW_READY, type ChannelMessage } from '../components/softphone/softphone-window'
import { I18nProvider, makeTranslate, pickLocale, useI18n, type I18n } from '../i18n'

function isHandoff(data: unknown): data is SoftphoneHandoff {
  const value = data as Partial<SoftphoneHandoff> | null
  return value?.type === 'centralino-softphone-session' && typeof value.session?.token === 'string' && typeof value.session.expires_at === 'string'
}

/**
 * Renders the softphone's pop-out window, a page outside Zendesk. It requests a session from
 * the top bar that opened it with postMessage, accepts the reply only from that window on
 * this origin, and tells the top bar over a BroadcastChannel while it handles calls.
 */
export function startSoftphoneWindow(root: Root): void {
  root.render(<SoftphoneWindow />)
}

function SoftphoneWindow() {
  const [handoff, setHandoff] = useState<SoftphoneHandoff | null>(null)
  const locale = handoff?.locale ?? pickLocale(navigator.language)
  const i18n: I18n = useMemo(
    () => ({ locale, timeZone: handoff?.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone, t: makeTranslate(locale) }),
    [locale, handoff?.timeZone],
  )

  useEffect(() => {
    const opener = window.opener as Window | null
    if (!opener) return
    const onMessage = (event: MessageEvent) => {
      if (event.origin !== window.location.origin || event.source !== opener || !isHandoff(event.data)) return
      setHandoff(event.data)
    }
    window.addEventListener('message', onMessage)
    opener.postMessage({ type: WINDOW_READY }, window.location.origin)
    return () => window.removeEventListener('message', onMessage)
  }, [])

  useEffect(() => {
    document.documentElement.lang = locale
    document.title = i18n.t('softphone.window_title')
  }, [i18n, locale])

  const channelRef = useRef<BroadcastChannel | null>(null)
  const readyRef = useRef<boolean | null>(null)
  // The top bar warns when this window is open but cannot take calls.
  const reportReadiness = useCallback((status: SoftphoneStatus) => {
    if (status.kind === 'checking_microphone' || status.kind === 'connecting') return
    readyRef.current = status.kind === 'ready'
    channelRef.current?.postMessage({ type: 'window_status', ready: readyRef.current } satisfies ChannelMessage)
  }, [])

  useEffect(() => {
    if (!handoff || typeof BroadcastChannel === 'undefined') return
    const channel = new BroadcastChannel(SOFTPHONE_CHANNEL)
    const announce = (message: ChannelMessage) => channel.postMessage(message)
    channel.onmessage = (event: MessageEvent<ChannelMessage>) => {
      if (event.data?.type !== 'ping') return
      announce({ type: 'window_open' })
      if (readyRef.current !== null) announce({ type: 'window_status', ready: readyRef.current })
    }
    announce({ type: 'window_open' })
    channelRef.current = channel
    const closing = () => announce({ type: 'window_closed' })
    window.addEventListener('pagehide', closing)
    return () => {
      window.removeEventListener('pagehide', closing)
      channelRef.current = null
      closing()
      channel.close()
    }
  }, [handoff])

  return (
    <ThemeProvider>
      <I18nProvider value={i18n}>
        <div lang={locale} style={{ display: 'grid', gap: 12, padding: 16 }}>
          <WindowBody handoff={handoff} onStatus={reportReadiness} />
        </div>
      </I18nProvider>
    </ThemeProvider>
  )
}

function WindowBody({ handoff, onStatus }: { handoff: SoftphoneHandoff | null; onStatus: (status: SoftphoneStatus) => void }) {
  const { t } = useI18n()
  const api = useMemo(() => (handoff ? new BridgeApi({ location: 'softphone', session: handoff.session }) : null), [handoff])
  if (!window.opener && !handoff) return <ErrorState message={t('softphone.window_no_opener')} />
  if (!api) return <Loading />
  return (
    <>
      <MD isBold tag="h1">
        {t('softphone.window_title')}
      </MD>
      <Softphone api={api} onStatus={onStatus} />
    </>
  )
}
