import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import nock from 'nock'
import type { ZendeskStandin, ZendeskUser } from '../../../scripts/standins/zendesk-standin'
import type { CallFlowWorld } from './call-flow'
import type { TestBridge } from './test-bridge'

/**
 * Creates a stand-in for the built Zendesk app in a new temporary directory: an empty `assets/`
 * and an index.html with the marker that the bridge replaces with its bootstrap script.
 * The caller removes the directory.
 */
export function createAppDist(prefix: string): string {
  const distDir = mkdtempSync(path.join(tmpdir(), prefix))
  mkdirSync(path.join(distDir, 'assets'))
  writeFileSync(path.join(distDir, 'index.html'), '<html><head><!--centralino-bootstrap--></head><body></body></html>')
  return distDir
}

/** Posts a signed location token to the app page, as the Zendesk app frame does, and parses the page's `window.__CENTRALINO__` bootstrap. */
export async function openAppPage(bridge: TestBridge, token: string | undefined, location = 'ticket_sidebar') {
  const response = await bridge.bridge.app.inject({
    method: 'POST',
    url: `/app/${location}`,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: token === undefined ? '' : new URLSearchParams({ token }).toString(),
  })
  const match = /window\.__CENTRALINO__ = (\{.*\})<\/script>/.exec(response.body)
  return { status: response.statusCode, headers: response.headers, body: response.body, bootstrap: match ? JSON.parse(match[1]) : undefined }
}

/** Opens the app page at `location` as `user` and returns the session token from its bootstrap. Throws when the page issued no session. */
export async function openAppSession(bridge: TestBridge, zendesk: ZendeskStandin, user: ZendeskUser, location = 'ticket_sidebar'): Promise<string> {
  const page = await openAppPage(bridge, zendesk.apps.signLocationToken(user.id), location)
  if (!page.bootstrap?.session) {
    const detail = page.bootstrap ? JSON.stringify(page.bootstrap) : page.body.slice(0, 300)
    throw new Error(`The app page /app/${location} issued no session for ${user.name}: ${detail}`)
  }
  return page.bootstrap.session.token
}

/**
 * Creates the app API and database helpers of a call-flow test file. They read the world and the
 * default session only when called, so a file can create them before its beforeAll sets both.
 */
export function callFlowHelpers(getWorld: () => CallFlowWorld, getDefaultSession: () => string) {
  const db = () => getWorld().bridge.bridge.db

  /** Sends an app API request with a bearer session, the default session unless `session` is given. */
  function api(method: 'GET' | 'POST', url: string, payload?: unknown, session = getDefaultSession()) {
    return getWorld().bridge.bridge.app.inject({ method, url, headers: { authorization: `Bearer ${session}` }, payload: payload as never })
  }

  async function one<T>(sql: string, values: unknown[] = []): Promise<T> {
    return (await db().query(sql, values)).rows[0] as T
  }

  async function agentStates(): Promise<Record<string, string>> {
    const result = await db().query<{ id: string; state: string }>('SELECT id, state FROM agents ORDER BY id')
    return Object.fromEntries(result.rows.map((row) => [row.id, row.state]))
  }

  return { api, db, one, agentStates }
}

/**
 * Replies 201 to every POST /v1/calls on `baseUrl` with leg1, leg2, ... and appends each request body to `created`.
 * `replyFields` are added to every reply body.
 */
export function interceptNewCallsOn(baseUrl: string, created: Array<Record<string, any>>, replyFields: Record<string, unknown> = {}): void {
  nock(baseUrl)
    .persist()
    .post('/v1/calls', (body) => (created.push(body), true))
    .reply(201, () => ({ uuid: `leg${created.length}`, status: 'started', ...replyFields, conversation_uuid: `CON-leg-${created.length}` }))
}
