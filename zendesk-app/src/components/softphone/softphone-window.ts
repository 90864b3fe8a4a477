import { useCallback, useEffect, useRef, useState } from 'react'
import type { BridgeApi } from '../../bridge-api'
import { requestPopoutSession, type SoftphoneHandoff } from '../../devices-api'

/** BroadcastChannel between the top bar and the pop-out; both are pages of the bridge's origin. */
export const SOFTPHONE_CHANNEL = 'centralino-softphone-window'
/** The pop-out's postMessage to its opener when it is ready for a session. */
export const WINDOW_READY = 'centralino-softphone-ready'
export const SOFTPHONE_PATH = '/app/softphone'

export type ChannelMessage = { type: 'ping' } | { type: 'window_open' } | { type: 'window_closed' } | { type: 'window_status'; ready: boolean }

/** Why the pop-out could not start: the browser blocked it, or the bridge issued no session for it. */
export type WindowError = { kind: 'popup_blocked' } | { kind: 'session_failed'; message: string }

/**
 * Whether the pop-out handles calls: never opened, open and ready for calls, open but not
 * ready (no microphone, or no session with Vonage), or closed after it was open.
 */
export type WindowState = 'none' | 'open' | 'failing' | 'closed'

/**
 * Runs the top bar's side of the pop-out: opens the window, replies to its ready message with
 * a new app session (only to that window and only on this origin), and tracks whether it is open.
 */
export function useSoftphoneWindow(api: BridgeApi, locale: 'en' | 'it', timeZone: string) {
  const [state, setState] = useState<WindowState>('none')
  const [error, setError] = useState<WindowError | null>(null)
  const popupRef = useRef<Window | null>(null)

  useEffect(() => {
    const origin = window.location.origin
    const onMessage = (event: MessageEvent) => {
      const popup = popupRef.current
      if (event.origin !== origin || popup === null || event.source !== popup || event.data?.type !== WINDOW_READY) return
      requestPopoutSession(api).then(
        (session) => {
          const handoff: SoftphoneHandoff = { type: 'centralino-softphone-session', session, locale, timeZone }
          popup.postMessage(handoff, origin)
        },
        (failure: Error) => setError({ kind: 'session_failed', message: failure.message }),
      )
    }
    window.addEventListener('message', onMessage)
    return () => window.removeEventListener('message', onMessage)
  }, [api, locale, timeZone])

  useEffect(() => {
    if (typeof BroadcastChannel === 'undefined') return
    const channel = new BroadcastChannel(SOFTPHONE_CHANNEL)
    channel.onmessage = (event: MessageEvent<ChannelMessage>) => {
      if (event.data?.type === 'window_open') setState((current) => (current === 'failing' ? current : 'open'))
      if (event.data?.type === 'window_status') setState(event.data.ready ? 'open' : 'failing')
      if (event.data?.type === 'window_closed') setState((current) => (current === 'open' || current === 'failing' ? 'closed' : current))
    }
    // A pop-out opened before this top bar loaded replies with window_open.
    channel.postMessage({ type: 'ping' } satisfies ChannelMessage)
    // A window that crashed sends no window_closed, so the opener also checks its handle.
    const timer = setInterval(() => {
      if (popupRef.current?.closed) {
        popupRef.current = null
        setState((current) => (current === 'open' || current === 'failing' ? 'closed' : current))
      }
    }, 2_000)
    return () => {
      clearInterval(timer)
      channel.close()
    }
  }, [])

  const open = useCallback(() => {
    setError(null)
    const popup = window.open(`${window.location.origin}${SOFTPHONE_PATH}`, 'centralino-softphone', 'popup,width=380,height=560')
    if (popup === null) {
      setError({ kind: 'popup_blocked' })
      return
    }
    popupRef.current = popup
    popup.focus()
  }, [])

  return { state, error, open }
}
