import type { AgentDevices } from './devices-api'

/** Session data that the bridge put in the page after checking Zendesk's signed token. */
export interface Bootstrap {
  location: string
  session?: { token: string; expires_at: string }
  error?: { code: string; message: string }
}

export class BridgeRequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message)
    this.name = 'BridgeRequestError'
  }
}

export interface AppCall {
  id: string
  direction: string
  from: string | null
  to: string | null
  caller_withheld: boolean
  status: string
  outcome: string | null
  started_at: string | null
  ended_at: string | null
  duration_seconds: number | null
  talk_seconds: number | null
  ticket_id: number | null
  requester_id: number | null
  agent: { id: string; name: string; zendesk_user_id: number } | null
  queue_id: string | null
  recordings: Array<{ id: string; kind: string; state: string; duration_seconds: number | null }>
  can_play?: boolean
}

export interface Me {
  user: { zendesk_user_id: number; name: string; is_lead: boolean; account: string }
  /** The agent's devices are missing only in replies of bridges older than the device choice. */
  agent: ({ id: string; state: string; changed_at: string } & Partial<AgentDevices>) | null
  capabilities: { outbound_calls: boolean; call_control: boolean }
}

export type MonitorMode = 'listen' | 'whisper' | 'barge' | 'take_over'

export type { Wallboard } from '@centralino/shared'

export interface MonitorAuditEntry {
  session_id: string
  call_id: string
  lead_zendesk_user_id: number
  action: string
  mode: MonitorMode
  detail: string | null
  at: string
}

/**
 * Calls the bridge with the session from the page. The session is renewed before it
 * expires; the bridge then checks the user's role with Zendesk again.
 */
export class BridgeApi {
  private token: string | undefined
  private refreshTimer?: ReturnType<typeof setTimeout>

  constructor(
    bootstrap: Bootstrap,
    private readonly baseUrl = '',
    private readonly fetchImpl: typeof fetch = (...args) => fetch(...args),
  ) {
    this.token = bootstrap.session?.token
    if (bootstrap.session) this.scheduleRefresh(bootstrap.session.expires_at)
  }

  get hasSession(): boolean {
    return this.token !== undefined
  }

  async json<T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
    const response = await this.send(path, init)
    return (await response.json()) as T
  }

  /** Sends a request whose success reply has no body, such as the 204 of call control. */
  async post(path: string, body?: unknown): Promise<void> {
    await this.send(path, { method: 'POST', body })
  }

  /** Sends a PUT whose success reply has no body, such as the 204 of a monitoring switch. */
  async put(path: string, body: unknown): Promise<void> {
    await this.send(path, { method: 'PUT', body })
  }

  async text(path: string): Promise<string> {
    return (await this.send(path, {})).text()
  }

  /** Opens the server-sent event stream; `onEvent` gets each event, and the stream reopens after a drop. */
  listen(path: string, onEvent: (type: string, data: any) => void, signal: AbortSignal): void {
    const run = async () => {
      while (!signal.aborted) {
        try {
          const response = await this.fetchImpl(`${this.baseUrl}${path}`, { headers: this.headers(), signal })
          if (!response.ok || !response.body) throw new Error(`event stream request failed with ${response.status}`)
          await readEvents(response.body, onEvent)
        } catch {
          if (signal.aborted) return
        }
        await new Promise((resolve) => setTimeout(resolve, 5000))
      }
    }
    void run()
  }

  private async send(path: string, init: { method?: string; body?: unknown }): Promise<Response> {
    const response = await this.fetchImpl(`${this.baseUrl}${path}`, {
      method: init.method ?? 'GET',
      headers: { ...this.headers(), ...(init.body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
      body: init.body !== undefined ? JSON.stringify(init.body) : undefined,
    })
    if (!response.ok) {
      const body = (await response.json().catch(() => ({}))) as { code?: string; message?: string }
      throw new BridgeRequestError(response.status, body.code ?? 'CENTRALINO_ERR_HTTP', body.message ?? `The bridge request failed with ${response.status}`)
    }
    return response
  }

  private headers(): Record<string, string> {
    return this.token ? { Authorization: `Bearer ${this.token}` } : {}
  }

  private scheduleRefresh(expiresAt: string): void {
    clearTimeout(this.refreshTimer)
    const delay = Math.max(5_000, new Date(expiresAt).getTime() - Date.now() - 60_000)
    this.refreshTimer = setTimeout(() => {
      this.json<{ token: string; expires_at: string }>('/app/api/session/refresh', { method: 'POST' })
        .then((session) => {
          this.token = session.token
          this.scheduleRefresh(session.expires_at)
        })
        .catch(() => undefined)
    }, delay)
  }
}

/** Parses a text/event-stream body into events until it ends. */
export async function readEvents(body: ReadableStream<Uint8Array>, onEvent: (type: string, data: any) => void): Promise<void> {
  const reader = body.getReader()
  const decoder = new TextDecoder()
  let buffer = ''
  for (;;) {
    const { value, done } = await reader.read()
    if (done) return
    buffer += decoder.decode(value, { stream: true })
    let end = buffer.indexOf('\n\n')
    while (end !== -1) {
      const frame = buffer.slice(0, end)
      buffer = buffer.slice(end + 2)
      const type = /^event: (.+)$/m.exec(frame)?.[1]
      const data = /^data: (.+)$/m.exec(frame)?.[1]
      if (type && data) onEvent(type, JSON.parse(data))
      end = buffer.indexOf('\n\n')
    }
  }
}
