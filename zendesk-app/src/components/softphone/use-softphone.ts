import { useCallback, useEffect, useRef, useState } from 'react'
import { BridgeRequestError, type BridgeApi } from '../../bridge-api'
import { requestSoftphoneToken } from '../../devices-api'
import { checkMicrophone as checkMicrophoneDefault, type MicrophoneAccess } from './microphone'
import { createSoftphoneClient, type SoftphoneClient } from './vonage-sdk'

/** The softphone's state, from the microphone check to a live session with Vonage. */
export type SoftphoneStatus =
  | { kind: 'checking_microphone' }
  | { kind: 'microphone_blocked' }
  | { kind: 'no_microphone' }
  | { kind: 'connecting' }
  | { kind: 'ready' }
  | { kind: 'token_failed'; message: string }
  | { kind: 'vonage_unreachable'; reason: string }
  | { kind: 'disconnected'; reason: string }

export interface SoftphoneCall {
  id: string
  from: string
  phase: 'ringing' | 'live'
  muted: boolean
}

export interface SoftphoneOptions {
  checkMicrophone?: () => Promise<MicrophoneAccess>
  createClient?: () => Promise<SoftphoneClient>
  /** How long createSession may take before the softphone reports that Vonage is unreachable. */
  connectTimeoutMs?: number
}

/** Renews the Client SDK token one minute before it expires, and never sooner than 5 seconds from now. */
export function refreshDelayMs(expiresAt: string, now = Date.now()): number {
  return Math.max(5_000, new Date(expiresAt).getTime() - now - 60_000)
}

class ConnectTimeout extends Error {}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new ConnectTimeout(`no answer from Vonage within ${Math.round(ms / 1000)} s`)), ms)
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}

function reasonOf(error: unknown): string {
  if (error instanceof Error) return error.message
  return typeof error === 'string' ? error : JSON.stringify(error)
}

/**
 * Runs the agent's in-browser softphone: checks the microphone, gets a Client SDK token from
 * the bridge, opens a Vonage session, renews the token before it expires and tracks the one
 * call that the bridge rings this user for. `retry` starts over after a failure.
 */
export function useSoftphone(api: BridgeApi, options: SoftphoneOptions = {}) {
  const { checkMicrophone = checkMicrophoneDefault, createClient = createSoftphoneClient, connectTimeoutMs = 20_000 } = options
  const [status, setStatus] = useState<SoftphoneStatus>({ kind: 'checking_microphone' })
  const [call, setCall] = useState<SoftphoneCall | null>(null)
  const [actionError, setActionError] = useState<string | null>(null)
  const [attempt, setAttempt] = useState(0)
  const clientRef = useRef<SoftphoneClient | null>(null)

  useEffect(() => {
    let cancelled = false
    let refreshTimer: ReturnType<typeof setTimeout> | undefined
    let client: SoftphoneClient | undefined
    const listeners: Array<[string, symbol]> = []

    const scheduleRefresh = (expiresAt: string) => {
      refreshTimer = setTimeout(() => {
        requestSoftphoneToken(api)
          .then(async (token) => {
            await client?.refreshSession(token.token)
            if (!cancelled) scheduleRefresh(token.expires_at)
          })
          .catch((error: unknown) => {
            if (!cancelled) setStatus({ kind: 'disconnected', reason: reasonOf(error) })
          })
      }, refreshDelayMs(expiresAt))
    }

    const listen = (target: SoftphoneClient) => {
      const on = (event: string, callback: (...args: any[]) => void) => listeners.push([event, target.on(event, callback)])
      on('callInvite', (callId: string, from: string) => setCall((current) => current ?? { id: callId, from, phase: 'ringing', muted: false }))
      on('callInviteCancel', (callId: string) => setCall((current) => (current?.id === callId ? null : current)))
      on('callHangup', (callId: string) => setCall((current) => (current?.id === callId ? null : current)))
      on('sessionError', (reason: string) => {
        clientRef.current = null
        setCall(null)
        setStatus({ kind: 'disconnected', reason })
      })
    }

    const start = async () => {
      setStatus({ kind: 'checking_microphone' })
      const access = await checkMicrophone()
      if (cancelled) return
      if (access !== 'granted') {
        setStatus({ kind: access === 'no_device' ? 'no_microphone' : 'microphone_blocked' })
        return
      }
      setStatus({ kind: 'connecting' })
      let token
      try {
        token = await requestSoftphoneToken(api)
      } catch (error) {
        if (!cancelled) setStatus({ kind: 'token_failed', message: error instanceof BridgeRequestError ? error.message : reasonOf(error) })
        return
      }
      try {
        client = await createClient()
        if (cancelled) return
        listen(client)
        await withTimeout(client.createSession(token.token), connectTimeoutMs)
      } catch (error) {
        if (!cancelled) setStatus({ kind: 'vonage_unreachable', reason: reasonOf(error) })
        return
      }
      if (cancelled) return
      clientRef.current = client
      scheduleRefresh(token.expires_at)
      setStatus({ kind: 'ready' })
    }
    void start()

    return () => {
      cancelled = true
      clearTimeout(refreshTimer)
      clientRef.current = null
      for (const [event, symbol] of listeners) client?.off(event, symbol)
      void client?.deleteSession().catch(() => undefined)
    }
  }, [api, attempt, checkMicrophone, createClient, connectTimeoutMs])

  const act = useCallback((work: (client: SoftphoneClient, current: SoftphoneCall) => Promise<unknown>, after: (current: SoftphoneCall) => SoftphoneCall | null) => {
    const client = clientRef.current
    if (!client || !call) return
    setActionError(null)
    work(client, call).then(
      () => setCall((current) => (current?.id === call.id ? after(current) : current)),
      (error: unknown) => setActionError(reasonOf(error)),
    )
  }, [call])

  return {
    status,
    call,
    actionError,
    retry: () => setAttempt((value) => value + 1),
    answer: () => act((client, current) => client.answer(current.id), (current) => ({ ...current, phase: 'live' })),
    reject: () => act((client, current) => client.reject(current.id), () => null),
    hangup: () => act((client, current) => client.hangup(current.id), () => null),
    toggleMute: () =>
      act((client, current) => (current.muted ? client.unmute(current.id) : client.mute(current.id)), (current) => ({ ...current, muted: !current.muted })),
  }
}
