import { request as httpRequest } from 'node:http'
import { request as httpsRequest } from 'node:https'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { setTimeout as sleep } from 'node:timers/promises'
import type { ReadableStream as NodeReadableStream } from 'node:stream/web'
import type { Logger } from 'pino'
import type { Config } from '../config'

/** An error reply from Zendesk, with what the job runner needs to decide on a retry. */
export class ZendeskApiError extends Error {
  constructor(
    readonly method: string,
    readonly path: string,
    readonly status: number,
    readonly body: unknown,
    readonly retryAfterSeconds?: number,
  ) {
    super(`Zendesk ${method} ${path} failed with ${status}: ${describeBody(body)}${hintFor(status)}`)
    this.name = 'ZendeskApiError'
  }

  /** 4xx other than 408, 409 and 429 will fail again however often the request is repeated. */
  get permanent(): boolean {
    return this.status >= 400 && this.status < 500 && ![408, 409, 429].includes(this.status)
  }
}

function hintFor(status: number): string {
  if (status === 401) return ' (check ZENDESK_EMAIL and ZENDESK_API_TOKEN, or ZENDESK_OAUTH_TOKEN)'
  if (status === 403) return ' (the Zendesk API user lacks the permission: use an admin or agent token)'
  return ''
}

function describeBody(body: unknown): string {
  if (body && typeof body === 'object') {
    const { error, description, details } = body as Record<string, unknown>
    return [error, description, details ? JSON.stringify(details) : undefined].filter(Boolean).join(' - ') || JSON.stringify(body)
  }
  return String(body ?? '').slice(0, 200)
}

export interface RequestOptions {
  query?: Record<string, string | number | undefined>
  json?: unknown
  /** A raw body (a stream for uploads); such a request is never repeated inside the client. */
  body?: ReadableStream<Uint8Array> | Buffer
  headers?: Record<string, string>
  signal?: AbortSignal
}

const MAX_RATE_LIMIT_WAITS = 3
const MAX_RETRY_AFTER_SECONDS = 120
const MAX_SERVER_ERROR_RETRIES = 2

/**
 * A small client for the Zendesk Support API. A 429 pauses every request of this client
 * until its Retry-After has passed (Zendesk counts the limit per account), then repeats
 * the request; 5xx and network errors are repeated twice with backoff. What still fails
 * is thrown for the job queue to retry later.
 */
export class ZendeskClient {
  private pausedUntil = 0

  constructor(
    private readonly config: Config['zendesk'],
    private readonly log: Logger,
  ) {}

  get baseUrl(): string {
    return this.config.baseUrl
  }

  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const repeatable = options.body === undefined
    for (let attempt = 0; ; attempt += 1) {
      await this.waitForRateLimit(options.signal)
      try {
        return await this.send<T>(method, path, options)
      } catch (error) {
        if (!repeatable || !this.shouldRepeat(error, attempt)) throw error
        if (error instanceof ZendeskApiError && error.status === 429) {
          this.pause(error.retryAfterSeconds ?? 10, method, path)
        } else {
          await sleep(500 * 2 ** attempt, undefined, { signal: options.signal })
        }
      }
    }
  }

  private shouldRepeat(error: unknown, attempt: number): boolean {
    if (error instanceof ZendeskApiError) {
      if (error.status === 429) return attempt < MAX_RATE_LIMIT_WAITS
      return error.status >= 500 && attempt < MAX_SERVER_ERROR_RETRIES
    }
    return error instanceof TypeError && attempt < MAX_SERVER_ERROR_RETRIES
  }

  private pause(seconds: number, method: string, path: string): void {
    const capped = Math.min(Math.max(seconds, 1), MAX_RETRY_AFTER_SECONDS)
    this.pausedUntil = Math.max(this.pausedUntil, Date.now() + capped * 1000)
    this.log.warn({ method, path, retryAfterSeconds: seconds }, 'Zendesk rate limit reached; pausing requests')
  }

  private async waitForRateLimit(signal?: AbortSignal): Promise<void> {
    const wait = this.pausedUntil - Date.now()
    if (wait > 0) await sleep(wait, undefined, { signal })
  }

  private async send<T>(method: string, path: string, options: RequestOptions): Promise<T> {
    const url = new URL(`${this.config.baseUrl}${path}`)
    for (const [key, value] of Object.entries(options.query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, String(value))
    }
    const headers: Record<string, string> = { Accept: 'application/json', Authorization: this.authorization(), ...options.headers }
    let body: RequestInit['body']
    if (options.json !== undefined) {
      headers['Content-Type'] = 'application/json'
      body = JSON.stringify(options.json)
    } else if (options.body !== undefined) {
      body = options.body as RequestInit['body']
    }
    const response =
      options.body instanceof ReadableStream
        ? await streamRequest(url, method, headers, options.body, options.signal)
        : await fetchText(url, method, headers, body, options.signal)
    const parsed = response.text === '' ? null : safeJson(response.text)
    if (response.status < 200 || response.status >= 300) {
      const retryAfter = Number(response.retryAfter)
      throw new ZendeskApiError(method, path, response.status, parsed, Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined)
    }
    return parsed as T
  }

  private authorization(): string {
    const auth = this.config.auth
    if (auth.kind === 'oauth') return `Bearer ${auth.token}`
    return `Basic ${Buffer.from(`${auth.email}/token:${auth.token}`).toString('base64')}`
  }
}

interface TextResponse {
  status: number
  text: string
  retryAfter: string | null
}

async function fetchText(url: URL, method: string, headers: Record<string, string>, body: RequestInit['body'], signal?: AbortSignal): Promise<TextResponse> {
  const response = await fetch(url, { method, headers, body, signal })
  return { status: response.status, text: await response.text(), retryAfter: response.headers.get('retry-after') }
}

/**
 * Sends a streamed body with node:http. Node 20's fetch keeps every chunk of a stream
 * body until the request ends (nodejs/undici#4058), so a whole recording would sit in
 * memory. Piping into the request keeps only a few chunks in flight.
 */
async function streamRequest(url: URL, method: string, headers: Record<string, string>, body: ReadableStream<Uint8Array>, signal?: AbortSignal): Promise<TextResponse> {
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest
  return new Promise<TextResponse>((resolve, reject) => {
    const request = send(url, { method, headers, signal }, (response) => {
      const chunks: Buffer[] = []
      response.on('data', (chunk: Buffer) => chunks.push(chunk))
      response.on('error', reject)
      response.on('end', () => {
        const retryAfter = response.headers['retry-after']
        resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8'), retryAfter: typeof retryAfter === 'string' ? retryAfter : null })
      })
    })
    request.on('error', reject)
    pipeline(Readable.fromWeb(body as NodeReadableStream<Uint8Array>), request).catch(reject)
  })
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}
