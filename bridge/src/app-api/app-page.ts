import { randomBytes } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { Type } from '@sinclair/typebox'
import type { FastifyInstance, FastifyReply } from 'fastify'
import { BridgeError } from '../errors'

/** The built app (zendesk-app/dist), served from the bridge so Zendesk can POST its signed token to it. */
export const APP_DIST_DIR = path.resolve(__dirname, '..', '..', '..', 'zendesk-app', 'dist')

export const APP_LOCATIONS = ['ticket_sidebar', 'user_sidebar', 'top_bar', 'background', 'nav_bar'] as const
export type AppLocation = (typeof APP_LOCATIONS)[number]

/** The softphone's pop-out window: a page of the app that Zendesk does not load, so it gets its session from the top bar. */
export const SOFTPHONE_PAGE = 'softphone'

/** Hosts the Vonage Client SDK (v2) connects to: api-{region}.vonage.com and ws-{region}.vonage.com. */
const SOFTPHONE_CONNECT_SOURCES = 'https://*.vonage.com wss://*.vonage.com'

/** Bootstrap data for the app's script: a session when the signed token is valid, otherwise the error. */
export interface PageBootstrap {
  location: AppLocation | typeof SOFTPHONE_PAGE
  session?: { token: string; expires_at: string }
  error?: { code: string; message: string }
}

const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
  '.wav': 'audio/wav',
}

/**
 * Renders index.html of the built app with the bootstrap in an inline script. The page
 * carries a session token, so it is never cached, and its policy allows only the bridge's
 * own scripts and this one inline script.
 */
export function sendAppPage(reply: FastifyReply, distDir: string, bootstrap: PageBootstrap): FastifyReply {
  const indexFile = path.join(distDir, 'index.html')
  if (!existsSync(indexFile)) {
    throw new BridgeError('CENTRALINO_ERR_APP_NOT_BUILT', 503, `The Zendesk app is not built: run "npm run app:build" (expected ${indexFile})`)
  }
  const nonce = randomBytes(16).toString('base64')
  const connectSources = bootstrap.location === 'top_bar' || bootstrap.location === SOFTPHONE_PAGE ? `'self' ${SOFTPHONE_CONNECT_SOURCES}` : "'self'"
  // "<" is escaped so that no value can close the script element.
  const json = JSON.stringify(bootstrap).replace(/</g, '\\u003c')
  const html = readFileSync(indexFile, 'utf8').replace(
    '<!--centralino-bootstrap-->',
    `<script nonce="${nonce}">window.__CENTRALINO__ = ${json}</script>`,
  )
  return reply
    .header('Cache-Control', 'no-store')
    .header('Referrer-Policy', 'no-referrer')
    .header('X-Content-Type-Options', 'nosniff')
    .header(
      'Content-Security-Policy',
      `default-src 'self'; script-src 'self' 'nonce-${nonce}'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; media-src 'self'; connect-src ${connectSources}; base-uri 'none'; form-action 'none'`,
    )
    .type('text/html; charset=utf-8')
    .send(html)
}

/** Serves the built app's static files (scripts, styles, icons) under /app/assets/. */
export function registerAppAssets(app: FastifyInstance, distDir: string): void {
  app.get<{ Params: { file: string } }>(
    '/app/assets/:file',
    { schema: { params: Type.Object({ file: Type.String({ pattern: '^[A-Za-z0-9_.-]+$', maxLength: 200 }) }) } },
    async (request, reply) => {
      const file = request.params.file
      const type = CONTENT_TYPES[path.extname(file)]
      if (file.startsWith('.') || type === undefined) throw assetNotFound(file)
      let body: Buffer
      try {
        body = await readFile(path.join(distDir, 'assets', file))
      } catch {
        throw assetNotFound(file)
      }
      // Vite puts a content hash in every bundle name, so a name never changes its content.
      return reply.header('Cache-Control', 'public, max-age=31536000, immutable').header('X-Content-Type-Options', 'nosniff').type(type).send(body)
    },
  )
}

const assetNotFound = (file: string) => new BridgeError('CENTRALINO_ERR_APP_ASSET_NOT_FOUND', 404, `App file "${file}" not found`)
