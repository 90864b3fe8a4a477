import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

/** An error that a route handler throws to end the request with this status and JSON body. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
    readonly headers: Record<string, string> = {},
  ) {
    super(`HTTP ${status}: ${JSON.stringify(body)}`)
  }
}

export const JSON_CONTENT_TYPE = 'application/json; charset=utf-8'

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body)
  res.writeHead(status, {
    ...headers,
    'Content-Type': JSON_CONTENT_TYPE,
    'Content-Length': Buffer.byteLength(text),
  })
  res.end(text)
}

/** Reads the whole request body into memory. Use only for small JSON bodies. */
export async function readBodyText(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of req) {
    chunks.push(chunk as Buffer)
  }
  return Buffer.concat(chunks).toString('utf8')
}

/**
 * Parses a JSON request body. An empty body counts as `{}`.
 * Throws HttpError 400 with `invalidJsonBody` when the text is not JSON.
 */
export async function readJsonBody(
  req: IncomingMessage,
  invalidJsonBody: Record<string, unknown>,
): Promise<unknown> {
  const text = await readBodyText(req)
  if (text.trim() === '') {
    return {}
  }
  try {
    return JSON.parse(text) as unknown
  } catch {
    throw new HttpError(400, invalidJsonBody)
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Starts `server` on 127.0.0.1 and returns its base URL, such as `http://127.0.0.1:41234`. */
export async function listenOnLoopback(server: Server, port: number): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject)
      resolve()
    })
  })
  const address = server.address() as AddressInfo
  return `http://127.0.0.1:${address.port}`
}

/** How long `closeServer` lets responses in flight finish before it cuts their connections. */
const CLOSE_GRACE_MS = 2000

/**
 * Stops accepting connections and resolves once the server is closed. Responses in flight may
 * finish, and then their keep-alive sockets are closed at once. Without that sweep, close()
 * waits until the client's keep-alive timeout ends each socket. After CLOSE_GRACE_MS every
 * connection is cut.
 */
export async function closeServer(server: Server): Promise<void> {
  const idleSweep = setInterval(() => server.closeIdleConnections(), 10)
  const forcedClose = setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS)
  try {
    await new Promise<void>((resolve, reject) => {
      server.close((error) => (error ? reject(error) : resolve()))
    })
  } finally {
    clearInterval(idleSweep)
    clearTimeout(forcedClose)
  }
}

export type RequestListener = (req: IncomingMessage, res: ServerResponse) => Promise<void>

/**
 * Creates a server whose listener may be async. An error that escapes the listener
 * becomes a 500 JSON response, so one broken request never stops the stand-in.
 */
export function createJsonServer(listener: RequestListener): Server {
  return createServer((req, res) => {
    listener(req, res).catch((error: unknown) => {
      console.error(`stand-in: ${req.method} ${req.url} failed:`, error)
      if (!res.headersSent) {
        sendJson(res, 500, { error: 'InternalError', description: String(error) })
      } else {
        res.destroy()
      }
    })
  })
}
