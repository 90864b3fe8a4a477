import { rmSync } from 'node:fs'
import type { ZendeskUser } from '../../../scripts/standins/zendesk-standin'
import { createAppDist, openAppSession } from '../helpers/app-session'
import { startCallFlowWorld, type CallFlowWorld } from '../helpers/call-flow'
import { seedQueue, seedTeam } from '../helpers/routing-seed'
import { API_TOKEN } from '../helpers/test-bridge'

const SESSION_SECRET = 'app-session-secret-0123456789abcdefghij'
const LEAD_ROLE_ID = 360001
// Wednesday 4 March 2026: 11:00 and 23:00 in Rome, inside and outside the 09:00-17:00 shift.
const DAY_TIME = '2026-03-04T10:00:00.000Z'
const NIGHT_TIME = '2026-03-04T22:00:00.000Z'

let world: CallFlowWorld
let distDir: string
let admin: ZendeskUser
let lead: ZendeskUser
let agent: ZendeskUser

const prompt = (it: string, en: string) => ({ it, en })

/** A flow with a language menu, business hours and a menu of queues. */
function supportFlow(): any {
  return {
    start: 'lang',
    nodes: {
      lang: { type: 'language', prompt: prompt('Premi 1 per italiano, 2 per inglese.', 'Press 1 for Italian, 2 for English.'), options: { '1': 'it', '2': 'en' }, next: 'welcome' },
      welcome: { type: 'say', text: prompt('Benvenuto.', 'Welcome.'), known_caller_text: prompt('Bentornato {name}.', 'Welcome back {name}.'), next: 'hours' },
      hours: { type: 'business_hours', queue_id: 'support', open: 'menu', closed: 'voicemail' },
      menu: { type: 'menu', prompt: prompt('1 assistenza, 2 vendite, 9 richiamata.', '1 support, 2 sales, 9 callback.'), options: { '1': 'support', '2': 'sales', '9': 'callback' }, no_input: 'goodbye' },
      support: { type: 'queue', queue_id: 'support' },
      sales: { type: 'queue', queue_id: 'sales' },
      callback: { type: 'callback', queue_id: 'support' },
      voicemail: { type: 'voicemail', prompt: prompt('Siamo chiusi, lascia un messaggio.', 'We are closed, leave a message.') },
      goodbye: { type: 'hangup', text: prompt('Arrivederci.', 'Goodbye.') },
    },
  }
}

const sessionFor = (user: ZendeskUser) => openAppSession(world.bridge, world.zendesk, user, 'nav_bar')

async function call(user: ZendeskUser | undefined, method: 'GET' | 'POST', url: string, payload?: unknown) {
  const headers = user ? { authorization: `Bearer ${await sessionFor(user)}` } : {}
  return world.bridge.bridge.app.inject({ method, url, headers, payload: payload as never })
}

async function versionsOf(flowId: string): Promise<number[]> {
  const result = await world.bridge.bridge.db.query<{ version: number }>('SELECT version FROM ivr_flows WHERE id = $1 ORDER BY version', [flowId])
  return result.rows.map((row) => Number(row.version))
}

beforeAll(async () => {
  distDir = createAppDist('centralino-ivr-dist-')
  world = await startCallFlowWorld({
    env: { ZAF_APP_ID: '1001', APP_SESSION_SECRET: SESSION_SECRET, APP_DIST_DIR: distDir, APP_LEAD_ROLE_IDS: String(LEAD_ROLE_ID) },
  })
  admin = world.zendesk.apps.seedStaff({ name: 'Anna Admin', email: 'anna@acme.example', role: 'admin' })
  lead = world.zendesk.apps.seedStaff({ name: 'Luca Lead', email: 'luca@acme.example', role: 'agent' })
  Object.assign(lead, { custom_role_id: LEAD_ROLE_ID })
  agent = world.zendesk.apps.seedStaff({ name: 'Marco Agent', email: 'marco@acme.example', role: 'agent' })
  const db = world.bridge.bridge.db
  await seedTeam(db, 'rome', 'Europe/Rome', { start: '09:00', end: '17:00' }, 501)
  await seedQueue(db, 'support', ['rome'])
  await seedQueue(db, 'sales', ['rome'])
})

afterAll(async () => {
  await world.close()
  rmSync(distDir, { recursive: true, force: true })
})

describe('IVR editor routes for admins', () => {
  it('reports the admin role in /app/api/me', async () => {
    expect((await call(admin, 'GET', '/app/api/me')).json().user).toMatchObject({ is_admin: true, is_lead: true })
    expect((await call(lead, 'GET', '/app/api/me')).json().user).toMatchObject({ is_admin: false, is_lead: true })
  })

  it('publishes versions and rolls back', async () => {
    const first = await call(admin, 'POST', '/app/api/ivr-flows/main/versions', { definition: supportFlow() })
    expect(first.statusCode).toBe(201)
    expect(first.json()).toEqual({ id: 'main', version: 1 })

    const changed = supportFlow()
    changed.nodes.welcome.text = prompt('Ciao.', 'Hello.')
    const second = await call(admin, 'POST', '/app/api/ivr-flows/main/versions', { definition: changed })
    expect(second.json()).toEqual({ id: 'main', version: 2 })

    const detail = (await call(admin, 'GET', '/app/api/ivr-flows/main')).json()
    expect(detail.version).toBe(2)
    expect(detail.versions.map((entry: { version: number }) => entry.version)).toEqual([2, 1])
    expect(detail.definition.nodes.welcome.text.en).toBe('Hello.')
    // The schema default of the menu's timeout is stored with the version.
    expect(detail.definition.nodes.menu.timeout_seconds).toBe(5)

    const rollback = await call(admin, 'POST', '/app/api/ivr-flows/main/rollback', { version: 1 })
    expect(rollback.statusCode).toBe(201)
    expect(rollback.json()).toEqual({ id: 'main', version: 3 })
    const restored = (await call(admin, 'GET', '/app/api/ivr-flows/main/versions/3')).json()
    expect(restored.definition.nodes.welcome.text.en).toBe('Welcome.')

    const list = (await call(admin, 'GET', '/app/api/ivr-flows')).json()
    expect(list.flows.map((flow: { id: string; version: number }) => [flow.id, flow.version])).toContainEqual(['main', 3])
  })

  it('rejects a publish over a newer version', async () => {
    const stale = await call(admin, 'POST', '/app/api/ivr-flows/main/versions', { definition: supportFlow(), base_version: 1 })
    expect(stale.statusCode).toBe(409)
    expect(stale.json().message).toBe('IVR flow "main" is at version 3, but this draft was based on version 1: reload the flow and make the changes again')
    expect(await versionsOf('main')).toEqual([1, 2, 3])
    const fresh = await call(admin, 'POST', '/app/api/ivr-flows/fresh/versions', { definition: supportFlow(), base_version: 0 })
    expect(fresh.json()).toEqual({ id: 'fresh', version: 1 })
  })

  it('rejects a rollback to a missing version', async () => {
    const response = await call(admin, 'POST', '/app/api/ivr-flows/main/rollback', { version: 99 })
    expect(response.statusCode).toBe(404)
    expect(response.json().message).toContain('has no version 99')
  })

  it('lists queues for the node forms', async () => {
    const reply = (await call(admin, 'GET', '/app/api/ivr-queues')).json()
    expect(reply.queues).toEqual([
      { id: 'sales', name: 'sales' },
      { id: 'support', name: 'support' },
    ])
  })
})

describe('IVR editor layouts', () => {
  const layout = { lang: { x: 0, y: 0 }, welcome: { x: 40.5, y: 190 }, goodbye: { x: -320, y: 760 } }

  async function storedLayout(flowId: string, version: number) {
    const result = await world.bridge.bridge.db.query<{ layout: unknown }>('SELECT layout FROM ivr_flows WHERE id = $1 AND version = $2', [flowId, version])
    return result.rows[0]?.layout
  }

  it('returns a published layout', async () => {
    const published = await call(admin, 'POST', '/app/api/ivr-flows/laid-out/versions', { definition: supportFlow(), base_version: 0, layout })
    expect(published.statusCode).toBe(201)
    const detail = (await call(admin, 'GET', '/app/api/ivr-flows/laid-out')).json()
    expect(detail.layout).toEqual(layout)
    const version = (await call(admin, 'GET', '/app/api/ivr-flows/laid-out/versions/1')).json()
    expect(version.layout).toEqual(layout)
  })

  it('returns null for a version without one', async () => {
    const published = await call(admin, 'POST', '/app/api/ivr-flows/laid-out/versions', { definition: supportFlow(), base_version: 1 })
    expect(published.json()).toEqual({ id: 'laid-out', version: 2 })
    expect((await call(admin, 'GET', '/app/api/ivr-flows/laid-out')).json().layout).toBeNull()
    expect(await storedLayout('laid-out', 2)).toBeNull()
  })

  it('copies the layout on rollback', async () => {
    const rollback = await call(admin, 'POST', '/app/api/ivr-flows/laid-out/rollback', { version: 1 })
    expect(rollback.json()).toEqual({ id: 'laid-out', version: 3 })
    const detail = (await call(admin, 'GET', '/app/api/ivr-flows/laid-out')).json()
    expect(detail.version).toBe(3)
    expect(detail.layout).toEqual(layout)
  })

  it('keeps the layout out of the admin API', async () => {
    const detail = await world.bridge.bridge.app.inject({ method: 'GET', url: '/api/admin/ivr-flows/laid-out', headers: { authorization: `Bearer ${API_TOKEN}` } })
    expect(detail.statusCode).toBe(200)
    expect(detail.json().version).toBe(3)
    expect(detail.json()).not.toHaveProperty('layout')
  })

  it.each([
    ['a coordinate out of range', { welcome: { x: 1e9, y: 0 } }, 'body/layout/welcome/x must be <= 100000; got 1000000000'],
    ['a missing coordinate', { menu: { x: 10 } }, 'body/layout/menu/y is missing'],
    ['a coordinate that is not a number', { menu: { x: 10, y: null } }, 'body/layout/menu/y must be number; got null'],
    ['a node not in the definition', { welcome: { x: 0, y: 0 }, ghost: { x: 5, y: 5 } }, 'body/layout has positions for "ghost", which are not nodes of the definition'],
  ])('rejects %s and stores nothing', async (_case, badLayout, message) => {
    const response = await call(admin, 'POST', '/app/api/ivr-flows/bad-layout/versions', { definition: supportFlow(), base_version: 0, layout: badLayout })
    expect(response.statusCode).toBe(400)
    expect(response.json().code).toBe('CENTRALINO_ERR_VALIDATION')
    expect(response.json().message).toContain(message)
    expect(await versionsOf('bad-layout')).toEqual([])
  })
})

describe('IVR draft validation', () => {
  function brokenFlow(): any {
    const flow = supportFlow()
    flow.nodes.menu.options['3'] = 'missing'
    flow.nodes.sales.queue_id = 'billing'
    return flow
  }

  it('ties graph problems to nodes', async () => {
    const response = await call(admin, 'POST', '/app/api/ivr-flows/validate', { definition: brokenFlow() })
    expect(response.statusCode).toBe(200)
    const reply = response.json()
    expect(reply.valid).toBe(false)
    expect(reply.problems).toEqual([
      { node_id: 'menu', field: 'options/3', code: 'missing_node', target: 'missing', message: 'node "missing" does not exist' },
      { node_id: 'sales', field: 'queue_id', code: 'unknown_queue', target: 'billing', message: 'queue "billing" does not exist' },
    ])
  })

  it('ties schema problems to nodes', async () => {
    const flow = supportFlow()
    flow.nodes.welcome.text.en = ''
    flow.nodes.menu.options = { x: 'support' }
    const reply = (await call(admin, 'POST', '/app/api/ivr-flows/validate', { definition: flow })).json()
    const byNode = Object.fromEntries(reply.problems.map((problem: { node_id: string; message: string }) => [problem.node_id, problem.message]))
    expect(Object.keys(byNode).sort()).toEqual(['menu', 'welcome'])
    expect(byNode.welcome).toBe('text/en must NOT have fewer than 1 characters; got ""')
    expect(byNode.menu).toContain('options key "x" must match pattern')
    expect(reply.problems.find((problem: { node_id: string }) => problem.node_id === 'menu')).toMatchObject({ field: 'options', code: 'invalid_field' })
  })

  it('returns one problem per field of a new menu', async () => {
    const flow = supportFlow()
    flow.nodes.menu = { type: 'menu', prompt: prompt('', ''), options: { '1': '' }, no_input: '' }
    flow.nodes.sales.queue_id = ''
    delete flow.nodes.hours.closed
    const response = await call(admin, 'POST', '/app/api/ivr-flows/validate', { definition: flow })
    expect(response.statusCode).toBe(200)
    const reply = response.json()
    expect(reply.valid).toBe(false)
    expect(reply.problems.map(({ node_id, field, code, target }: Record<string, unknown>) => ({ node_id, field, code, target }))).toEqual([
      { node_id: 'hours', field: 'closed', code: 'missing_link', target: '' },
      { node_id: 'menu', field: 'prompt/it', code: 'empty_text', target: 'it' },
      { node_id: 'menu', field: 'prompt/en', code: 'empty_text', target: 'en' },
      { node_id: 'menu', field: 'options/1', code: 'missing_link', target: '' },
      { node_id: 'menu', field: 'no_input', code: 'missing_link', target: '' },
      { node_id: 'sales', field: 'queue_id', code: 'missing_field', target: '' },
    ])
    expect(reply.problems[1].message).toBe('prompt/it must NOT have fewer than 1 characters; got ""')
    expect(reply.problems[0].message).toBe('closed is missing')
  })

  it('names each schema problem when a publish is invalid', async () => {
    const flow = supportFlow()
    flow.nodes.menu.prompt.it = ''
    flow.nodes.menu.no_input = 'a b'
    const response = await call(admin, 'POST', '/app/api/ivr-flows/draft-only/versions', { definition: flow })
    expect(response.statusCode).toBe(400)
    const reply = response.json()
    expect(reply.message).toBe(
      'IVR flow "draft-only" was not published: node "menu": prompt/it must NOT have fewer than 1 characters; got ""; node "menu": no_input must match pattern "^[A-Za-z0-9_-]{1,64}$"; got "a b"',
    )
    expect(reply.problems.map((problem: { code: string }) => problem.code)).toEqual(['empty_text', 'missing_link'])
    expect(reply.problems[1].target).toBe('a b')
    expect(await versionsOf('draft-only')).toEqual([])
  })

  it('accepts a valid draft', async () => {
    expect((await call(admin, 'POST', '/app/api/ivr-flows/validate', { definition: supportFlow() })).json()).toEqual({ valid: true, problems: [] })
  })

  it('stores nothing when a publish is invalid', async () => {
    const response = await call(admin, 'POST', '/app/api/ivr-flows/draft-only/versions', { definition: brokenFlow() })
    expect(response.statusCode).toBe(400)
    const reply = response.json()
    expect(reply.code).toBe('CENTRALINO_ERR_VALIDATION')
    expect(reply.message).toContain('IVR flow "draft-only" was not published')
    expect(reply.message).toContain('node "menu": node "missing" does not exist')
    expect(reply.problems.map((problem: { node_id: string }) => problem.node_id)).toEqual(['menu', 'sales'])
    expect(await versionsOf('draft-only')).toEqual([])
    expect((await call(admin, 'GET', '/app/api/ivr-flows/draft-only')).statusCode).toBe(404)
  })

  it('rejects a body without a definition', async () => {
    const response = await call(admin, 'POST', '/app/api/ivr-flows/validate', { flow: supportFlow() })
    expect(response.statusCode).toBe(400)
    expect(response.json().message).toContain('body has unknown field "flow"')
  })
})

describe('IVR preview', () => {
  const preview = async (body: Record<string, unknown>) => call(admin, 'POST', '/app/api/ivr-flows/preview', body)

  it('walks a menu with key presses', async () => {
    const response = await preview({ definition: supportFlow(), keys: ['2', '1'], language: 'it', business_hours: 'open' })
    expect(response.statusCode).toBe(200)
    const reply = response.json()
    expect(reply.steps).toEqual([
      { node_id: 'lang', node_type: 'language', heard: ['Premi 1 per italiano, 2 per inglese.'], key: '2' },
      { node_id: 'welcome', node_type: 'say', heard: ['Welcome.'], key: null },
      { node_id: 'hours', node_type: 'business_hours', heard: [], key: null },
      { node_id: 'menu', node_type: 'menu', heard: ['1 support, 2 sales, 9 callback.'], key: '1' },
      { node_id: 'support', node_type: 'queue', heard: [], key: null },
    ])
    expect(reply.outcome).toEqual({ type: 'queue', queue_id: 'support', use_ticket: true })
    expect(reply.language).toBe('en')
    expect(reply.unused_keys).toEqual([])
  })

  it('stops at a node waiting for input', async () => {
    const reply = (await preview({ definition: supportFlow(), keys: ['1'], business_hours: 'open' })).json()
    expect(reply.steps.map((step: { node_id: string }) => step.node_id)).toEqual(['lang', 'welcome', 'hours', 'menu'])
    expect(reply.outcome).toEqual({ type: 'input', node_id: 'menu' })
  })

  it('follows no_input on an empty key', async () => {
    const reply = (await preview({ definition: supportFlow(), keys: ['1', ''], business_hours: 'open' })).json()
    expect(reply.steps.at(-1)).toEqual({ node_id: 'goodbye', node_type: 'hangup', heard: ['Arrivederci.'], key: null })
    expect(reply.outcome).toEqual({ type: 'hangup' })
  })

  it('reads the team shift at the simulated time', async () => {
    const night = (await preview({ definition: supportFlow(), keys: ['1', '1'], at: NIGHT_TIME })).json()
    expect(night.outcome).toEqual({ type: 'voicemail' })
    expect(night.steps.at(-1).heard).toEqual(['Siamo chiusi, lascia un messaggio.'])
    expect(night.unused_keys).toEqual(['1'])
    const day = (await preview({ definition: supportFlow(), keys: ['1', '9'], at: DAY_TIME })).json()
    expect(day.outcome).toEqual({ type: 'callback', queue_id: 'support' })
  })

  it('greets a known caller by name', async () => {
    const reply = (await preview({ definition: supportFlow(), keys: ['1'], caller: { name: 'Carla' }, business_hours: 'open' })).json()
    expect(reply.steps[1].heard).toEqual(['Bentornato Carla.'])
  })

  it('walks a published version', async () => {
    const reply = (await preview({ flow_id: 'main', version: 2, keys: ['1'], business_hours: 'open' })).json()
    expect(reply.steps[1].heard).toEqual(['Ciao.'])
  })

  it('names a bad key press', async () => {
    const response = await preview({ definition: supportFlow(), keys: ['1', 'x'] })
    expect(response.statusCode).toBe(400)
    expect(response.json().message).toContain('body/keys/1 must match pattern "one key 0-9, * or #, or "" for no key before the timeout"; got "x"')
  })

  it('rejects an invalid draft with its node problems', async () => {
    const flow = supportFlow()
    flow.nodes.menu.no_input = 'nowhere'
    const response = await preview({ definition: flow, keys: [] })
    expect(response.statusCode).toBe(400)
    expect(response.json().problems).toEqual([expect.objectContaining({ node_id: 'menu', field: 'no_input', target: 'nowhere' })])
  })

  it('needs exactly one of a draft and a flow id', async () => {
    const neither = await preview({ keys: ['1'] })
    expect(neither.statusCode).toBe(400)
    expect(neither.json().message).toContain('send either "definition"')
    const both = await preview({ definition: supportFlow(), flow_id: 'main', keys: [] })
    expect(both.statusCode).toBe(400)
  })
})

describe('IVR routes for non-admins', () => {
  it.each([
    ['lead', () => lead],
    ['agent', () => agent],
  ])('rejects a %s with 403', async (_role, user) => {
    for (const [method, url, body] of [
      ['GET', '/app/api/ivr-flows', undefined],
      ['POST', '/app/api/ivr-flows/main/versions', { definition: supportFlow() }],
      ['POST', '/app/api/ivr-flows/main/rollback', { version: 1 }],
      ['POST', '/app/api/ivr-flows/preview', { definition: 'not even a flow', keys: ['z'] }],
    ] as const) {
      const response = await call(user(), method, url, body)
      expect(response.statusCode).toBe(403)
      expect(response.json().code).toBe('CENTRALINO_ERR_APP_ADMIN_ONLY')
      expect(response.json().message).toContain('Only Zendesk admins may view and edit IVR flows')
    }
    expect(await versionsOf('main')).toEqual([1, 2, 3])
  })

  it('rejects a request without a session', async () => {
    const response = await call(undefined, 'GET', '/app/api/ivr-flows')
    expect(response.statusCode).toBe(401)
    expect(response.json().code).toBe('CENTRALINO_ERR_APP_SESSION')
  })
})
