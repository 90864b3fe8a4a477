import { randomUUID } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import type { ZendeskStandin, ZendeskUser } from '../standins/zendesk-standin'

export interface AppHarnessOptions {
  /** Base URL of a running bridge with the app API on (APP_SESSION_SECRET and the stand-in's ZAF_APP_ID). */
  bridgeUrl: string
  /** The Zendesk stand-in the bridge uses: it signs the location tokens and serves the app's Zendesk requests. */
  zendesk: ZendeskStandin
  /** TCP port on 127.0.0.1; 0 (the default) picks a free one. */
  port?: number
  /** Zendesk credentials the page uses for the app's Zendesk requests, as the agent's session would. */
  zendeskAuth?: { email: string; token: string }
}

export interface AppHarness {
  url: string
  /** The users the page signs in as: a team lead (admin) and an agent. */
  users: { lead: ZendeskUser; agent: ZendeskUser }
  /**
   * URL of one location, such as `hostUrl('ticket_sidebar', { ticketId: 1, locale: 'it' })`.
   * `userId` is the Zendesk user whose profile the user sidebar shows. Without it, the user
   * sidebar shows the requester of ticket `ticketId`.
   */
  hostUrl(location: string, options?: { ticketId?: number; userId?: number; locale?: string; user?: 'lead' | 'agent' }): string
  close(): Promise<void>
}

const LOCATIONS = ['ticket_sidebar', 'user_sidebar', 'top_bar', 'nav_bar', 'background']
const HOST_SCRIPT = readFileSync(path.join(__dirname, 'zaf-host.js'), 'utf8')

/**
 * Serves a local page in place of the Zendesk agent workspace: it POSTs a signed
 * token to the bridge's app page in an iframe, as Zendesk does for a signed location, and
 * replies to the app's ZAF calls. Listens on 127.0.0.1 only.
 */
export async function startAppHarness(options: AppHarnessOptions): Promise<AppHarness> {
  const { zendesk } = options
  const users = {
    lead: zendesk.apps.seedStaff({ name: 'Laura Bianchi', email: 'laura.lead@centralino.test', role: 'admin', locale: 'it' }),
    agent: zendesk.apps.seedStaff({ name: 'Marco Verdi', email: 'marco.agent@centralino.test', role: 'agent', locale: 'it' }),
  }
  const auth = options.zendeskAuth ?? { email: 'admin@centralino.test', token: 'harness-token' }
  const server = createServer((req, res) => {
    handle(req, res).catch((error: Error) => {
      res.writeHead(500, { 'content-type': 'text/plain' })
      res.end(`harness error: ${error.message}`)
    })
  })

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    if (url.pathname.startsWith('/zendesk/')) return proxyZendesk(req, res, url)
    if (url.pathname === '/host') return sendHost(res, url)
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
    res.end(indexPage())
  }

  async function proxyZendesk(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    const target = `${zendesk.url}${url.pathname.slice('/zendesk'.length)}${url.search}`
    const response = await fetch(target, {
      method: req.method,
      headers: { authorization: `Basic ${Buffer.from(`${auth.email}/token:${auth.token}`).toString('base64')}`, 'content-type': req.headers['content-type'] ?? 'application/json' },
      body: chunks.length > 0 ? Buffer.concat(chunks) : undefined,
    })
    res.writeHead(response.status, { 'content-type': 'application/json' })
    res.end(Buffer.from(await response.arrayBuffer()))
  }

  function sendHost(res: ServerResponse, url: URL): void {
    const location = url.searchParams.get('location') ?? 'ticket_sidebar'
    if (!LOCATIONS.includes(location)) {
      res.writeHead(400, { 'content-type': 'text/plain' })
      res.end(`unknown location ${location}: expected one of ${LOCATIONS.join(', ')}`)
      return
    }
    const user = url.searchParams.get('user') === 'agent' ? users.agent : users.lead
    const locale = url.searchParams.get('locale') === 'en' ? 'en' : 'it'
    const ticketId = Number(url.searchParams.get('ticket') ?? '1')
    const profileUserId = location === 'user_sidebar' ? findProfileUserId(url, ticketId) : null
    if (profileUserId instanceof Error) {
      res.writeHead(400, { 'content-type': 'text/plain' })
      res.end(profileUserId.message)
      return
    }
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    const action = `${options.bridgeUrl}/app/${location}?origin=${encodeURIComponent(origin)}&app_guid=${randomUUID()}`
    const config = {
      bridgeUrl: options.bridgeUrl,
      location,
      ticketId,
      profileUserId,
      locale,
      timeZone: 'Europe/Rome',
      dialNumber: '+393331112222',
      user: { id: user.id, name: user.name, role: user.role },
    }
    const width = location === 'nav_bar' ? 1100 : 360
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' })
    res.end(`<!doctype html><html><head><meta charset="utf-8"><title>Centralino harness: ${location}</title>
<style>body{font-family:system-ui,sans-serif;margin:0;background:#f8f9f9} header{background:#03363d;color:#fff;padding:8px 12px;font-size:14px}
main{display:flex;gap:16px;padding:12px} #app{width:${width}px;border:1px solid #d8dcde;background:#fff;height:200px} #host-log{font:12px monospace;color:#49545c;max-width:320px}</style></head>
<body><header>Zendesk stand-in · ${location} · ${user.name} · ${locale} <button id="dial-out" type="button">voice.dialout</button></header>
<main><iframe id="app" name="app" title="Centralino ${location}"></iframe><div id="host-log"></div></main>
<form id="launch" method="POST" action="${action}" target="app"><input type="hidden" name="token" value="${zendesk.apps.signLocationToken(user.id)}"></form>
<script>const HARNESS = ${JSON.stringify(config)};</script><script>${HOST_SCRIPT}</script></body></html>`)
  }

  /**
   * Returns the id of the user whose profile the user sidebar shows: the `user_id` query
   * parameter, or else the requester of the harness's ticket. Returns an Error to send as 400
   * when that user or ticket is not in the Zendesk stand-in.
   */
  function findProfileUserId(url: URL, ticketId: number): number | Error {
    const requested = url.searchParams.get('user_id')
    if (requested !== null) {
      const userId = Number(requested)
      if (!zendesk.state.users.some((candidate) => candidate.id === userId)) {
        return new Error(`user_id ${requested} is not a user of the Zendesk stand-in: pass the id of a seeded user`)
      }
      return userId
    }
    const ticket = zendesk.state.tickets.find((candidate) => candidate.id === ticketId)
    if (!ticket) {
      return new Error(`ticket ${ticketId} not found in the Zendesk stand-in: pass user_id, or the ticket of a seeded requester`)
    }
    return ticket.requester_id
  }

  function indexPage(): string {
    const links = LOCATIONS.flatMap((location) =>
      ['it', 'en'].map((locale) => `<li><a href="/host?location=${location}&locale=${locale}&ticket=1">${location} (${locale})</a></li>`),
    )
    return `<!doctype html><meta charset="utf-8"><title>Centralino app harness</title><h1>Centralino app harness</h1><ul>${links.join('')}</ul>`
  }

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    url,
    users,
    hostUrl: (location, hostOptions = {}) => {
      const userId = hostOptions.userId === undefined ? '' : `&user_id=${hostOptions.userId}`
      return `${url}/host?location=${location}&ticket=${hostOptions.ticketId ?? 1}${userId}&locale=${hostOptions.locale ?? 'it'}&user=${hostOptions.user ?? 'lead'}`
    },
    close: () => closeServer(server),
  }
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections()
  return new Promise((resolve) => server.close(() => resolve()))
}
