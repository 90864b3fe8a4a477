import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react'
import { ThemeProvider } from '@zendeskgarden/react-theming'
import { afterEach, describe, expect, it } from 'vitest'
import { App } from '../src/App'
import { BridgeApi } from '../src/bridge-api'
import { IvrEditor } from '../src/components/ivr/IvrEditor'
import { layeredLayout, parseKeys, placeNodes, renameNode, sameLayout } from '../src/components/ivr/flow-model'
import { I18nProvider, makeTranslate } from '../src/i18n'
import type { FlowDetail, IvrFlow, PreviewResult } from '../src/ivr-api'
import { fakeBridge, fakeClient } from './zaf-stand-in'

const SESSION = { token: 'session-token', expires_at: new Date(Date.now() + 900_000).toISOString() }

const FLOW: IvrFlow = {
  start: 'welcome',
  nodes: {
    welcome: { type: 'say', text: { it: 'Benvenuto in Centralino.', en: 'Welcome to Centralino.' }, next: 'menu' },
    menu: { type: 'menu', prompt: { it: 'Premi 1 per l’assistenza.', en: 'Press 1 for support.' }, options: { '1': 'support' }, no_input: 'goodbye', timeout_seconds: 5 },
    support: { type: 'queue', queue_id: 'support' },
    goodbye: { type: 'hangup', text: { it: 'Arrivederci.', en: 'Goodbye.' } },
  },
}
const DETAIL: FlowDetail = {
  id: 'main',
  version: 2,
  created_at: '2026-12-04T10:00:00.000Z',
  definition: FLOW,
  layout: null,
  versions: [
    { version: 2, created_at: '2026-12-04T10:00:00.000Z' },
    { version: 1, created_at: '2026-12-01T09:00:00.000Z' },
  ],
  numbers: ['+390240708090'],
}
const PREVIEW: PreviewResult = {
  steps: [
    { node_id: 'welcome', node_type: 'say', heard: ['Benvenuto in Centralino.'], key: null },
    { node_id: 'menu', node_type: 'menu', heard: ['Premi 1 per l’assistenza.'], key: '1' },
    { node_id: 'support', node_type: 'queue', heard: [], key: null },
  ],
  outcome: { type: 'queue', queue_id: 'support', use_ticket: true },
  language: 'it',
  unused_keys: [],
}
const PROBLEMS = [{ node_id: 'menu', field: 'options/3', code: 'missing_node', target: 'missing', message: 'node "missing" does not exist' }]

function bridgeRoutes(extra: Parameters<typeof fakeBridge>[0] = {}) {
  return {
    ...extra,
    '/app/api/ivr-flows/validate': { body: { valid: false, problems: PROBLEMS } },
    '/app/api/ivr-flows/preview': { body: PREVIEW },
    '/app/api/ivr-flows/main': { body: DETAIL },
    '/app/api/ivr-flows': { body: { flows: [DETAIL] } },
    '/app/api/ivr-queues': { body: { queues: [{ id: 'support', name: 'Support' }] } },
  }
}

function renderEditor(locale: 'it' | 'en', routes = bridgeRoutes()) {
  const bridge = fakeBridge(routes)
  const api = new BridgeApi({ location: 'nav_bar', session: SESSION }, '', bridge.fetchImpl)
  render(
    <ThemeProvider>
      <I18nProvider value={{ locale, timeZone: 'Europe/Rome', t: makeTranslate(locale) }}>
        <IvrEditor api={api} />
      </I18nProvider>
    </ThemeProvider>,
  )
  return bridge
}

afterEach(cleanup)

describe('IVR editor', () => {
  it('renders a card for each node', async () => {
    renderEditor('it')
    const welcome = await screen.findByTestId('ivr-node-welcome', {}, { timeout: 5000 })
    expect(within(welcome).getByText('Messaggio')).toBeTruthy()
    expect(within(welcome).getByText('Inizio')).toBeTruthy()
    expect(within(welcome).getByText('Benvenuto in Centralino.')).toBeTruthy()
    expect(within(screen.getByTestId('ivr-node-menu')).getByText('Premi 1 per l’assistenza.')).toBeTruthy()
    expect(within(screen.getByTestId('ivr-node-support')).getByText('coda support')).toBeTruthy()
    expect(within(screen.getByTestId('ivr-node-goodbye')).getByText('Fine chiamata')).toBeTruthy()
    expect(screen.getByText('v2')).toBeTruthy()
    expect(screen.getByText('Attiva')).toBeTruthy()
  })

  it('shows a problem on its node after Validate', async () => {
    const bridge = renderEditor('it')
    await screen.findByTestId('ivr-node-menu', {}, { timeout: 5000 })
    fireEvent.click(screen.getByRole('button', { name: 'Verifica' }))
    await screen.findByText('Il collegamento options/3 porta al nodo "missing", che non esiste.')
    const menu = screen.getByTestId('ivr-node-menu')
    expect(menu.getAttribute('data-problem')).toBe('true')
    expect(within(menu).getByText(/options\/3/)).toBeTruthy()
    expect(screen.getByTestId('ivr-node-welcome').getAttribute('data-problem')).toBeNull()
    expect(screen.getByText('Problemi: 1')).toBeTruthy()
    const request = bridge.requests.find((entry) => entry.url === '/app/api/ivr-flows/validate')
    expect(JSON.parse(request?.body ?? '{}').definition).toEqual(FLOW)
  })

  it('words schema problems in Italian on the node', async () => {
    const raw = 'prompt/it must NOT have fewer than 1 characters; got ""'
    const routes = bridgeRoutes()
    routes['/app/api/ivr-flows/validate'] = {
      body: {
        valid: false,
        problems: [
          { node_id: 'menu', field: 'prompt/it', code: 'empty_text', target: 'it', message: raw },
          { node_id: 'menu', field: 'options/1', code: 'missing_link', target: '', message: 'options/1 must match pattern "^[A-Za-z0-9_-]{1,64}$"; got ""' },
          { node_id: 'menu', field: 'no_input', code: 'missing_link', target: '', message: 'no_input must match pattern "^[A-Za-z0-9_-]{1,64}$"; got ""' },
          { node_id: 'support', field: 'queue_id', code: 'missing_field', target: '', message: 'queue_id must match pattern "lowercase letters, digits, - and _"; got ""' },
          { node_id: 'welcome', field: 'text/en', code: 'empty_text', target: 'en', message: 'text/en must NOT have fewer than 1 characters; got ""' },
        ],
      },
    }
    renderEditor('it', routes)
    await screen.findByTestId('ivr-node-menu', {}, { timeout: 5000 })
    fireEvent.click(screen.getByRole('button', { name: 'Verifica' }))
    const menu = screen.getByTestId('ivr-node-menu')
    await within(menu).findByText("Scrivi l'invito in italiano.")
    expect(within(menu).getByText('Scegli il nodo a cui porta il tasto 1.')).toBeTruthy()
    expect(within(menu).getByText('Scegli cosa succede se il chiamante non preme nessun tasto.')).toBeTruthy()
    expect(within(screen.getByTestId('ivr-node-support')).getByText('Scegli una coda.')).toBeTruthy()
    expect(within(screen.getByTestId('ivr-node-welcome')).getByText('Scrivi il messaggio in inglese.')).toBeTruthy()
    expect(screen.queryByText(raw, { exact: false })).toBeNull()
    expect(screen.getByText('Problemi: 5')).toBeTruthy()
  })

  it('words schema problems in English in the node panel', async () => {
    const routes = bridgeRoutes()
    routes['/app/api/ivr-flows/validate'] = {
      body: { valid: false, problems: [{ node_id: 'menu', field: 'options/1', code: 'missing_link', target: '', message: 'options/1 must match pattern "^[A-Za-z0-9_-]{1,64}$"; got ""' }] },
    }
    renderEditor('en', routes)
    await screen.findByTestId('ivr-node-menu', {}, { timeout: 5000 })
    fireEvent.click(screen.getByTestId('ivr-node-menu'))
    fireEvent.click(screen.getByRole('button', { name: 'Validate' }))
    const panel = await screen.findByRole('complementary', { name: 'Node menu' })
    await within(panel).findByText('Choose the node that key 1 goes to.')
  })

  it('disables Publish while the validated draft has problems', async () => {
    renderEditor('en')
    await screen.findByTestId('ivr-node-welcome', {}, { timeout: 5000 })
    fireEvent.click(screen.getByTestId('ivr-node-welcome'))
    const textarea = await screen.findByDisplayValue('Welcome to Centralino.')
    fireEvent.change(textarea, { target: { value: 'Hello.' } })
    const publish = screen.getByRole('button', { name: 'Publish…' }) as HTMLButtonElement
    expect(publish.disabled).toBe(false)
    fireEvent.click(screen.getByRole('button', { name: 'Validate' }))
    await screen.findByText('Problems: 1')
    await waitFor(() => expect(publish.disabled).toBe(true))
    fireEvent.change(textarea, { target: { value: 'Hello again.' } })
    expect(publish.disabled).toBe(false)
  })

  it('previews key presses and highlights the path', async () => {
    const bridge = renderEditor('it')
    await screen.findByTestId('ivr-node-menu', {}, { timeout: 5000 })
    fireEvent.change(screen.getByLabelText('Tasti premuti'), { target: { value: '1' } })
    fireEvent.change(screen.getByLabelText('Orario di servizio'), { target: { value: 'open' } })
    fireEvent.click(screen.getByRole('button', { name: 'Avvia anteprima' }))
    const result = await screen.findByTestId('ivr-preview-result')
    expect(within(result).getByText('Preme 1')).toBeTruthy()
    expect(within(result).getByText('Sente: “Benvenuto in Centralino.”')).toBeTruthy()
    expect(within(result).getByText('Il chiamante entra nella coda support.')).toBeTruthy()
    const request = JSON.parse(bridge.requests.find((entry) => entry.url === '/app/api/ivr-flows/preview')?.body ?? '{}')
    expect(request).toMatchObject({ keys: ['1'], language: 'it', business_hours: 'open', definition: FLOW })
    await waitFor(() => expect(screen.getByTestId('ivr-node-support').getAttribute('data-walked')).toBe('true'))
    expect(within(screen.getByTestId('ivr-node-menu')).getByText('Passo 2 dell\'anteprima')).toBeTruthy()
    expect(screen.getByTestId('ivr-node-goodbye').getAttribute('data-walked')).toBeNull()
  })

  it('names bad key presses without calling the bridge', async () => {
    const bridge = renderEditor('en')
    await screen.findByTestId('ivr-node-menu', {}, { timeout: 5000 })
    fireEvent.change(screen.getByLabelText('Key presses'), { target: { value: '1 x 22' } })
    fireEvent.click(screen.getByRole('button', { name: 'Run preview' }))
    await screen.findByText('Invalid key presses: x 22. Use 0-9, * or #, and - for no key.')
    expect(bridge.requests.some((entry) => entry.url === '/app/api/ivr-flows/preview')).toBe(false)
  })

  it('publishes after a confirmation', async () => {
    const routes = bridgeRoutes({ '/app/api/ivr-flows/main/versions': { status: 201, body: { id: 'main', version: 3 } } })
    routes['/app/api/ivr-flows/validate'] = { body: { valid: true, problems: [] } }
    const bridge = renderEditor('en', routes)
    await screen.findByTestId('ivr-node-welcome', {}, { timeout: 5000 })
    fireEvent.click(screen.getByTestId('ivr-node-welcome'))
    const textarea = await screen.findByDisplayValue('Welcome to Centralino.')
    fireEvent.change(textarea, { target: { value: 'Hello.' } })
    fireEvent.click(screen.getByRole('button', { name: 'Publish…' }))
    expect(screen.getByText(/Publish the draft of "main" as version 3\?/)).toBeTruthy()
    fireEvent.click(screen.getByRole('button', { name: 'Publish' }))
    await screen.findByText('Version 3 is published.')
    const sent = JSON.parse(bridge.requests.find((entry) => entry.url === '/app/api/ivr-flows/main/versions')?.body ?? '{}')
    expect(sent.definition.nodes.welcome.text).toEqual({ it: 'Benvenuto in Centralino.', en: 'Hello.' })
    expect(sent.base_version).toBe(2)
  })
})

describe('IVR editor layout', () => {
  // goodbye has no stored position, so it gets the automatic layout's: row 2, column 1.
  const LAYOUT = { welcome: { x: 0, y: 0 }, menu: { x: 40, y: 200 }, support: { x: 640, y: 480 } }
  const laidOut = (extra: Parameters<typeof fakeBridge>[0] = {}) => {
    const routes = bridgeRoutes(extra)
    routes['/app/api/ivr-flows/main'] = { body: { ...DETAIL, layout: LAYOUT } }
    return routes
  }
  const transformOf = (id: string) => (document.querySelector(`.react-flow__node[data-id="${id}"]`) as HTMLElement | null)?.style.transform

  it('places nodes at their stored positions', async () => {
    renderEditor('en', laidOut())
    await screen.findByTestId('ivr-node-support', {}, { timeout: 5000 })
    await waitFor(() => expect(transformOf('support')).toBe('translate(640px,480px)'))
    expect(transformOf('menu')).toBe('translate(40px,200px)')
    expect(transformOf('goodbye')).toBe('translate(250px,380px)')
    expect((screen.getByRole('button', { name: 'Publish…' }) as HTMLButtonElement).disabled).toBe(true)
  })

  it('publishes a moved node\'s position', async () => {
    const routes = laidOut({ '/app/api/ivr-flows/main/versions': { status: 201, body: { id: 'main', version: 3 } } })
    routes['/app/api/ivr-flows/validate'] = { body: { valid: true, problems: [] } }
    const bridge = renderEditor('en', routes)
    await screen.findByTestId('ivr-node-support', {}, { timeout: 5000 })
    const card = document.querySelector('.react-flow__node[data-id="support"]') as HTMLElement
    fireEvent.click(screen.getByTestId('ivr-node-support'))
    await waitFor(() => expect(card.classList.contains('selected')).toBe(true))
    // An arrow key moves a selected node by 5 px and reports the move as the end of a drag does.
    fireEvent.keyDown(card, { key: 'ArrowRight' })
    await waitFor(() => expect(transformOf('support')).toBe('translate(645px,480px)'))
    expect(screen.getByText('Unsaved changes')).toBeTruthy()

    fireEvent.click(screen.getByRole('button', { name: 'Publish…' }))
    fireEvent.click(screen.getByRole('button', { name: 'Publish' }))
    await screen.findByText('Version 3 is published.')
    const sent = JSON.parse(bridge.requests.find((entry) => entry.url === '/app/api/ivr-flows/main/versions')?.body ?? '{}')
    expect(sent.definition).toEqual(FLOW)
    expect(sent.layout).toEqual({ ...LAYOUT, support: { x: 645, y: 480 }, goodbye: { x: 250, y: 380 } })
  })
})

describe('IVR tab in the nav bar', () => {
  const me = (isAdmin: boolean) => ({ user: { zendesk_user_id: 1, name: 'Anna', is_lead: true, is_admin: isAdmin, account: 'demo' }, agent: null, capabilities: { outbound_calls: false, call_control: false } })

  it.each([
    [true, 1],
    [false, 0],
  ])('shows the tab when is_admin is %s', async (isAdmin, count) => {
    const zaf = fakeClient({})
    const bridge = fakeBridge({ '/app/api/me': { body: me(isAdmin) }, '/app/api/calls': { body: { calls: [], total: 0 } }, '/app/api/events': { body: {} } })
    const bootstrap = { location: 'nav_bar', session: SESSION }
    render(<App client={zaf.client} api={new BridgeApi(bootstrap, '', bridge.fetchImpl)} bootstrap={bootstrap} i18n={{ locale: 'en', timeZone: 'Europe/Rome', t: makeTranslate('en') }} />)
    await screen.findByRole('tab', { name: 'Call log' })
    expect(screen.queryAllByRole('tab', { name: 'IVR flows' })).toHaveLength(count)
  })
})

describe('flow model', () => {
  it('lays nodes out in rows by distance from the start', () => {
    const positions = layeredLayout(FLOW, 100, 50)
    expect(positions.welcome).toEqual({ x: 0, y: 0 })
    expect(positions.menu).toEqual({ x: 0, y: 50 })
    expect(positions.support).toEqual({ x: 0, y: 100 })
    expect(positions.goodbye).toEqual({ x: 100, y: 100 })
  })

  it('places nodes without a stored position automatically', () => {
    const placed = placeNodes(FLOW, { menu: { x: 7, y: 9 }, removed: { x: 1, y: 1 } })
    expect(Object.keys(placed).sort()).toEqual(['goodbye', 'menu', 'support', 'welcome'])
    expect(placed.menu).toEqual({ x: 7, y: 9 })
    expect(placed.welcome).toEqual(layeredLayout(FLOW).welcome)
    expect(sameLayout(placed, { ...placed })).toBe(true)
    expect(sameLayout(placed, { ...placed, menu: { x: 7, y: 10 } })).toBe(false)
  })

  it('renames a node and the links to it', () => {
    const renamed = renameNode(FLOW, 'menu', 'main_menu')
    expect(Object.keys(renamed.nodes)).toContain('main_menu')
    expect(renamed.nodes.welcome).toMatchObject({ next: 'main_menu' })
  })

  it('parses key presses', () => {
    expect(parseKeys('1 2, - #')).toEqual({ keys: ['1', '2', '', '#'], invalid: [] })
    expect(parseKeys('1 ab').invalid).toEqual(['ab'])
  })
})
