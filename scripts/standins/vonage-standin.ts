/**
 * A local stand-in for Vonage's recording download, `GET /v1/files/{id}`, and for the call
 * control that routing uses (`POST /v1/calls`, `PUT /v1/calls/{uuid}`). Like Vonage, it
 * answers only requests that carry an RS256 application JWT, and it listens on 127.0.0.1 only.
 */
import { randomUUID } from 'node:crypto'
import { createReadStream, existsSync } from 'node:fs'
import { stat } from 'node:fs/promises'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { pipeline } from 'node:stream/promises'

import jwt from 'jsonwebtoken'

import { closeServer, createJsonServer, listenOnLoopback, readBodyText, sendJson } from './http'
import { playOutboundCall, type OutboundPlayback, type PlayedOutboundEvent } from './vonage-outbound'

export interface VonageStandinOptions {
  /** The Vonage application id that the JWT's `application_id` claim must equal. */
  applicationId: string
  /** Public key of the application's RSA key pair, in PEM form. */
  publicKeyPem: string
  /** TCP port. The default 0 picks a free one. */
  port?: number
}

export interface RecordingOptions {
  /**
   * How many authorized downloads return 404 before the file is served, imitating a recording
   * that is not ready yet. No source confirms that Vonage does this, but a retrying client must cope.
   */
  notFoundTimes?: number
}

export interface VonageRequestLogEntry {
  path: string
  status: number
  authorized: boolean
}

/** A call placed through POST /v1/calls. */
export interface CreatedCall {
  uuid: string
  conversationUuid: string
  body: Record<string, unknown>
}

/** A PUT on a call: transfer, hangup or talk. */
export interface CallControl {
  path: string
  body: Record<string, unknown>
}

export interface VonageStandin {
  url: string
  requests: VonageRequestLogEntry[]
  createdCalls: CreatedCall[]
  controls: CallControl[]
  close(): Promise<void>
  /** Serves `filePath` at `fileUrl(fileId)`. Throws if the file does not exist. */
  addRecording(fileId: string, filePath: string, contentType?: string, options?: RecordingOptions): void
  fileUrl(fileId: string): string
  /**
   * From now on, answers every click-to-call created with POST /v1/calls (an NCCO that joins
   * a `centralino-out-...` conversation with `endOnExit`): the agent's leg answers, the
   * customer's leg that the bridge then creates answers, both talk and hang up, and the
   * conversation's record event follows, sent through `playback`.
   */
  playOutboundCalls(playback: OutboundPlayback): void
  /** The webhooks sent for those calls, in order. */
  outboundEvents: PlayedOutboundEvent[]
}

interface Recording {
  filePath: string
  contentType: string
  notFoundRemaining: number
}

const FILE_PATH_PATTERN = /^\/v1\/files\/([^/]+)$/

const UNAUTHORIZED_TYPE = 'https://developer.nexmo.com/api-errors#unauthorized'
const NOT_FOUND_TYPE = 'https://developer.nexmo.com/api-errors#not-found'

/**
 * Returns why the request's JWT is rejected, or null when it is valid. A valid token is signed
 * RS256 with the application's key and carries a future `exp` and the expected `application_id`.
 */
function rejectionReason(authorization: string | undefined, options: VonageStandinOptions): string | null {
  const token = authorization?.startsWith('Bearer ') ? authorization.slice('Bearer '.length).trim() : ''
  if (token === '') {
    return 'Missing Bearer token'
  }

  let claims: string | jwt.JwtPayload
  try {
    claims = jwt.verify(token, options.publicKeyPem, { algorithms: ['RS256'] })
  } catch (error) {
    return `Invalid token: ${(error as Error).message}`
  }

  // jsonwebtoken checks `exp` only when present. The stand-in requires one because @vonage/jwt
  // always sets it, although Vonage's docs call `exp` optional.
  if (typeof claims === 'string' || typeof claims.exp !== 'number') {
    return 'Token has no exp claim'
  }
  if (claims.application_id !== options.applicationId) {
    return 'Token is for another application'
  }
  return null
}

async function streamRecording(res: ServerResponse, recording: Recording): Promise<void> {
  const { size } = await stat(recording.filePath)
  res.writeHead(200, { 'Content-Type': recording.contentType, 'Content-Length': size })
  await pipeline(createReadStream(recording.filePath), res)
}

type DownloadOutcome = { status: 401 | 404 } | { status: 200; recording: Recording }

class VonageStandinServer {
  readonly recordings = new Map<string, Recording>()
  readonly requests: VonageRequestLogEntry[] = []

  constructor(private readonly options: VonageStandinOptions) {}

  readonly createdCalls: CreatedCall[] = []
  readonly controls: CallControl[] = []
  /** Names of the Client SDK users created with POST /v1/users. */
  readonly users = new Set<string>()
  outboundPlayback?: OutboundPlayback
  readonly outboundEvents: PlayedOutboundEvent[] = []

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname
    const reason = rejectionReason(req.headers.authorization, this.options)
    if (path.startsWith('/v1/calls')) {
      await this.handleCalls(req, res, path, reason)
      return
    }
    if (path === '/v1/users') {
      await this.handleUsers(req, res, path, reason)
      return
    }
    const outcome = this.decide(req.method, path, reason === null)
    this.requests.push({ path, status: outcome.status, authorized: reason === null })

    if (outcome.status === 200) {
      await streamRecording(res, outcome.recording)
    } else if (outcome.status === 401) {
      sendJson(res, 401, { type: UNAUTHORIZED_TYPE, title: 'Unauthorized', detail: reason })
    } else {
      sendJson(res, 404, { type: NOT_FOUND_TYPE, title: 'Not Found', detail: `No file at ${path}` })
    }
  }

  /**
   * The part of the Voice API that routing uses: create a call (201 with its uuid),
   * and modify, talk into or hang up a call (204). Requests are kept for inspection.
   */
  private async handleCalls(req: IncomingMessage, res: ServerResponse, path: string, reason: string | null): Promise<void> {
    if (reason !== null) {
      this.requests.push({ path, status: 401, authorized: false })
      sendJson(res, 401, { type: UNAUTHORIZED_TYPE, title: 'Unauthorized', detail: reason })
      return
    }
    const body = JSON.parse((await readBodyText(req)) || '{}') as Record<string, unknown>
    if (req.method === 'POST' && path === '/v1/calls') {
      const uuid = randomUUID().replace(/-/g, '')
      const conversationUuid = `CON-${randomUUID()}`
      this.createdCalls.push({ uuid, conversationUuid, body })
      this.requests.push({ path, status: 201, authorized: true })
      sendJson(res, 201, { uuid, status: 'started', direction: 'outbound', conversation_uuid: conversationUuid })
      if (this.outboundPlayback) {
        playOutboundCall({ uuid, conversationUuid, body }, this.createdCalls, this.outboundPlayback, this.outboundEvents).catch((error: Error) =>
          this.outboundEvents.push({ conversationUuid, leg: 'agent', status: 'not played', error: error.message }),
        )
      }
      return
    }
    // Hold music: PUT starts a stream into the leg and DELETE stops it. Vonage replies 200 with a message to both.
    if ((req.method === 'PUT' || req.method === 'DELETE') && /^\/v1\/calls\/[^/]+\/stream$/.test(path)) {
      this.controls.push({ path, body: { ...body, method: req.method } })
      this.requests.push({ path, status: 200, authorized: true })
      sendJson(res, 200, { message: req.method === 'PUT' ? 'Stream started' : 'Stream stopped', uuid: path.split('/')[3] })
      return
    }
    if (req.method === 'PUT' && /^\/v1\/calls\/[^/]+(\/talk|\/dtmf)?$/.test(path)) {
      this.controls.push({ path, body })
      this.requests.push({ path, status: 204, authorized: true })
      res.writeHead(204).end()
      return
    }
    this.requests.push({ path, status: 404, authorized: true })
    sendJson(res, 404, { type: NOT_FOUND_TYPE, title: 'Not Found', detail: `No route ${req.method} ${path}` })
  }

  /**
   * Creates a Client SDK user: 201 with its id, or 409 when the name is taken, as the
   * Users API answers. The names are kept in `users`.
   */
  private async handleUsers(req: IncomingMessage, res: ServerResponse, path: string, reason: string | null): Promise<void> {
    if (reason !== null || req.method !== 'POST') {
      const status = reason !== null ? 401 : 404
      this.requests.push({ path, status, authorized: reason === null })
      sendJson(res, status, reason !== null ? { type: UNAUTHORIZED_TYPE, title: 'Unauthorized', detail: reason } : { type: NOT_FOUND_TYPE, title: 'Not Found' })
      return
    }
    const body = JSON.parse((await readBodyText(req)) || '{}') as { name?: string; display_name?: string }
    const name = String(body.name ?? '')
    if (this.users.has(name)) {
      this.requests.push({ path, status: 409, authorized: true })
      sendJson(res, 409, { title: 'Conflict', code: 'user:error:duplicate-name', detail: `User ${name} already exists` })
      return
    }
    this.users.add(name)
    this.requests.push({ path, status: 201, authorized: true })
    sendJson(res, 201, { id: `USR-${randomUUID()}`, name, display_name: body.display_name ?? name })
  }

  /** Picks the response and consumes one of the recording's pending 404s when one applies. */
  private decide(method: string | undefined, path: string, authorized: boolean): DownloadOutcome {
    const fileId = FILE_PATH_PATTERN.exec(path)?.[1]
    if (method !== 'GET' || fileId === undefined) {
      return { status: 404 }
    }
    if (!authorized) {
      return { status: 401 }
    }
    const recording = this.recordings.get(decodeURIComponent(fileId))
    if (!recording) {
      return { status: 404 }
    }
    if (recording.notFoundRemaining > 0) {
      recording.notFoundRemaining -= 1
      return { status: 404 }
    }
    return { status: 200, recording }
  }
}

/** Starts the stand-in on 127.0.0.1 and resolves once it accepts requests. */
export async function startVonageStandin(options: VonageStandinOptions): Promise<VonageStandin> {
  const standinServer = new VonageStandinServer(options)
  const server = createJsonServer((req, res) => standinServer.handle(req, res))
  const url = await listenOnLoopback(server, options.port ?? 0)

  return {
    url,
    requests: standinServer.requests,
    createdCalls: standinServer.createdCalls,
    controls: standinServer.controls,
    close: () => closeServer(server),
    addRecording: (fileId, filePath, contentType = 'audio/mpeg', recordingOptions = {}) => {
      if (!existsSync(filePath)) {
        throw new Error(`addRecording: ${filePath} does not exist`)
      }
      standinServer.recordings.set(fileId, {
        filePath,
        contentType,
        notFoundRemaining: recordingOptions.notFoundTimes ?? 0,
      })
    },
    fileUrl: (fileId) => `${url}/v1/files/${encodeURIComponent(fileId)}`,
    playOutboundCalls: (playback) => {
      standinServer.outboundPlayback = playback
    },
    outboundEvents: standinServer.outboundEvents,
  }
}
