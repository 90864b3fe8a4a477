import { useCallback, useEffect, useRef, useState } from 'react'
import type { ZafClient } from './zaf'
import type { BridgeApi } from './bridge-api'

export type AsyncState<T> = { status: 'loading' } | { status: 'error'; message: string } | { status: 'ready'; value: T }

/**
 * Runs `load` when `key` changes and returns its state with a reload function. A reload
 * keeps a ready value on screen until the new one arrives, so components below it keep
 * their state. A new key, or a reload after an error, shows loading.
 */
export function useAsync<T>(load: () => Promise<T>, key: string): [AsyncState<T>, () => void] {
  const [state, setState] = useState<AsyncState<T>>({ status: 'loading' })
  const [round, setRound] = useState(0)
  const loadRef = useRef(load)
  loadRef.current = load
  const keyRef = useRef(key)
  useEffect(() => {
    let current = true
    const keyChanged = keyRef.current !== key
    keyRef.current = key
    setState((previous) => (previous.status === 'ready' && !keyChanged ? previous : { status: 'loading' }))
    loadRef.current().then(
      (value) => current && setState({ status: 'ready', value }),
      (error: Error) => current && setState({ status: 'error', message: error.message }),
    )
    return () => {
      current = false
    }
  }, [key, round])
  return [state, useCallback(() => setRound((value) => value + 1), [])]
}

/** Keeps the app's iframe as tall as its content, as Zendesk sizes it only on request. */
export function useAutoResize(client: ZafClient | null, element: HTMLElement | null): void {
  useEffect(() => {
    if (!client || !element || typeof ResizeObserver === 'undefined') return
    let last = 0
    const observer = new ResizeObserver(() => {
      // The body's padding (8px at the top and bottom) is outside the measured element.
      const height = Math.ceil(element.getBoundingClientRect().height) + 16
      if (height === last) return
      last = height
      void client.invoke('resize', { width: '100%', height: `${height}px` }).catch(() => undefined)
    })
    observer.observe(element)
    return () => observer.disconnect()
  }, [client, element])
}

/** Returns the current time in milliseconds, updated every second while the component is mounted. */
export function useNow(): number {
  const [now, setNow] = useState(() => Date.now())
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000)
    return () => clearInterval(timer)
  }, [])
  return now
}

/**
 * Calls `reload` after events on the app's event stream, at most once per `debounceMs`, and
 * every `fallbackMs` in case no event arrives. The bridge sends a lead the call changes of
 * every call but only their own agent state, so other agents' state changes show up on an
 * event or on the fallback reload.
 */
export function useLiveReload(api: BridgeApi, reload: () => void, debounceMs = 1000, fallbackMs = 15_000): void {
  const reloadRef = useRef(reload)
  reloadRef.current = reload
  useEffect(() => {
    const controller = new AbortController()
    let pending: ReturnType<typeof setTimeout> | undefined
    api.listen(
      '/app/api/events',
      () => {
        if (pending !== undefined) return
        pending = setTimeout(() => {
          pending = undefined
          reloadRef.current()
        }, debounceMs)
      },
      controller.signal,
    )
    const fallback = setInterval(() => reloadRef.current(), fallbackMs)
    return () => {
      controller.abort()
      clearTimeout(pending)
      clearInterval(fallback)
    }
  }, [api, debounceMs, fallbackMs])
}
