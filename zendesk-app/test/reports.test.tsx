import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { App } from '../src/App'
import { BridgeApi } from '../src/bridge-api'
import { makeTranslate } from '../src/i18n'
import type { ReportReply } from '../src/reports-api'
import { fakeBridge, fakeClient } from './zaf-stand-in'

const SESSION = { token: 'session-token', expires_at: new Date(Date.now() + 900_000).toISOString() }
const ME_LEAD = { user: { zendesk_user_id: 1, name: 'Lucia Lead', is_lead: true, account: 'demo' }, agent: null, capabilities: { outbound_calls: false, call_control: false } }

/** The figures of bridge/test/reports/reports.test.ts for 10 March 2026 by queue, with a larger total to show digit grouping. */
const REPLY: ReportReply = {
  from: '2026-03-09T23:00:00.000Z',
  to: '2026-03-10T23:00:00.000Z',
  time_zone: 'Europe/Rome',
  group_by: 'queue',
  short_abandon_seconds: 5,
  service_level_seconds: 20,
  rows: [
    {
      key: 'sales', label: 'Vendite', offered: 8, answered: 4, abandoned: 2, short_abandoned: 1, voicemails: 1, callbacks_requested: 0, callbacks_completed: 0,
      average_speed_of_answer_seconds: 16.5, average_handle_seconds: 197.5, service_level_percent: 42.9, occupancy_percent: 4.4,
    },
    {
      key: null, label: 'no queue', offered: 1, answered: 0, abandoned: 0, short_abandoned: 0, voicemails: 0, callbacks_requested: 0, callbacks_completed: 0,
      average_speed_of_answer_seconds: null, average_handle_seconds: null, service_level_percent: 0, occupancy_percent: null,
    },
  ],
  total: {
    offered: 12345, answered: 7, abandoned: 3, short_abandoned: 1, voicemails: 1, callbacks_requested: 2, callbacks_completed: 1,
    average_speed_of_answer_seconds: 18.7, average_handle_seconds: 4000, service_level_percent: 35.7, occupancy_percent: 4.9,
  },
}

function renderReports(locale: 'it' | 'en', routes: Parameters<typeof fakeBridge>[0]) {
  const bridge = fakeBridge({ '/app/api/me': { body: ME_LEAD }, '/app/api/calls': { body: { calls: [], total: 0 } }, ...routes })
  const bootstrap = { location: 'nav_bar', session: SESSION }
  const api = new BridgeApi(bootstrap, '', bridge.fetchImpl)
  render(<App client={fakeClient({}).client} api={api} bootstrap={bootstrap} i18n={{ locale, timeZone: 'Europe/Rome', t: makeTranslate(locale) }} />)
  const reportRequests = () => bridge.requests.filter((request) => request.url.startsWith('/app/api/reports?'))
  const lastParams = () => new URLSearchParams(reportRequests().at(-1)!.url.split('?')[1])
  return { bridge, reportRequests, lastParams }
}

async function openTab(name: string): Promise<void> {
  fireEvent.click(await screen.findByRole('tab', { name }))
}

function setField(label: string, value: string): void {
  fireEvent.change(screen.getByLabelText(label, { exact: false }), { target: { value } })
}

afterEach(cleanup)

// test/setup.ts adds a ResizeObserver that never reports a size, so recharts would measure the
// chart as 0 × 0 and draw nothing. Without ResizeObserver, as jsdom ships, it keeps the chart's initialDimension.
const setupResizeObserver = globalThis.ResizeObserver
beforeAll(() => {
  Reflect.deleteProperty(globalThis, 'ResizeObserver')
  Reflect.deleteProperty(window, 'ResizeObserver')
})
afterAll(() => {
  if (setupResizeObserver === undefined) return
  Object.assign(globalThis, { ResizeObserver: setupResizeObserver })
  Object.assign(window, { ResizeObserver: setupResizeObserver })
})

/** Reads a jsdom Blob, which has no text() method. */
function readBlob(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader()
    reader.onload = () => resolve(String(reader.result))
    reader.onerror = () => reject(reader.error)
    reader.readAsText(blob)
  })
}

describe('reports form', () => {
  it('loads the last seven days in the user zone', async () => {
    const { reportRequests, lastParams } = renderReports('en', { '/app/api/reports': { body: REPLY } })
    await openTab('Reports')
    await waitFor(() => expect(reportRequests()).toHaveLength(1))
    const params = lastParams()
    expect(params.get('time_zone')).toBe('Europe/Rome')
    expect(params.get('group_by')).toBe('queue')
    expect(params.get('short_abandon_seconds')).toBe('5')
    expect(params.get('service_level_seconds')).toBe('20')
    const from = Date.parse(params.get('from')!)
    const to = Date.parse(params.get('to')!)
    // Seven whole days, or one hour more or less across a daylight-saving change.
    expect(Math.abs(to - from - 7 * 86_400_000)).toBeLessThanOrEqual(3_600_000)
    expect(from).toBeLessThanOrEqual(Date.now())
    expect(to).toBeGreaterThan(Date.now())
  })

  it('sends the chosen days in the chosen zone', async () => {
    const { reportRequests, lastParams } = renderReports('en', { '/app/api/reports': { body: REPLY } })
    await openTab('Reports')
    await waitFor(() => expect(reportRequests()).toHaveLength(1))
    setField('First day', '2026-03-01')
    setField('Last day', '2026-03-31')
    setField('Time zone', 'Europe/Rome')
    fireEvent.change(screen.getByLabelText('Group by'), { target: { value: 'hour' } })
    setField('Short abandon (seconds)', '8')
    setField('Answer within (seconds)', '30')
    fireEvent.click(screen.getByRole('button', { name: 'Show report' }))
    await waitFor(() => expect(reportRequests()).toHaveLength(2))
    // Rome is UTC+1 on 1 March and UTC+2 from 29 March, so the range ends at 22:00 UTC.
    expect(Object.fromEntries(lastParams())).toEqual({
      from: '2026-02-28T23:00:00.000Z',
      to: '2026-03-31T22:00:00.000Z',
      time_zone: 'Europe/Rome',
      group_by: 'hour',
      short_abandon_seconds: '8',
      service_level_seconds: '30',
    })
  })

  it('names invalid fields and sends nothing', async () => {
    const { reportRequests } = renderReports('it', { '/app/api/reports': { body: REPLY } })
    await openTab('Report')
    await waitFor(() => expect(reportRequests()).toHaveLength(1))
    setField('Fuso orario', 'Mars/Olympus')
    setField('Primo giorno', '2026-03-10')
    setField('Ultimo giorno', '2026-03-09')
    setField('Abbandono breve (secondi)', '-1')
    setField('Risposta entro (secondi)', '0')
    setField('Obiettivo livello di servizio (%)', '120')
    fireEvent.click(screen.getByRole('button', { name: 'Mostra report' }))
    await screen.findByText('"Mars/Olympus" non è un fuso orario: scrivi un nome IANA come Europe/Rome.')
    expect(screen.getByText("L'ultimo giorno non può precedere il primo.")).toBeTruthy()
    expect(screen.getByText('Scrivi un numero intero di secondi da 0 a 3600.')).toBeTruthy()
    expect(screen.getByText('Scrivi un numero intero di secondi da 1 a 3600.')).toBeTruthy()
    expect(screen.getByText('Scrivi una percentuale intera da 1 a 100.')).toBeTruthy()
    expect(reportRequests()).toHaveLength(1)
  })
})

describe('reports figures', () => {
  it('shows every metric per row in Italian', async () => {
    renderReports('it', { '/app/api/reports': { body: REPLY } })
    await openTab('Report')
    const table = await screen.findByRole('table', { name: 'Metriche per gruppo' })
    const rows = within(table).getAllByRole('row')
    const cells = (index: number) => within(rows[index]).getAllByRole('cell').map((cell) => cell.textContent)
    expect(cells(1)).toEqual(['Vendite', '8', '4', '2', '1', '1', '0', '0', '16,5 s', '3 min 18 s', '42,9%', '4,4%'])
    expect(cells(2)).toEqual(['Nessuna coda', '1', '0', '0', '0', '0', '0', '0', '–', '–', '0%', '–'])
    expect(cells(3)).toEqual(['Totale', '12.345', '7', '3', '1', '1', '2', '1', '18,7 s', '1 h 06 min', '35,7%', '4,9%'])
    expect(within(rows[0]).getAllByRole('columnheader').map((cell) => cell.textContent)[10]).toBe('Livello di servizio (20 s)')
  })

  it('shows the totals against the target in English', async () => {
    renderReports('en', { '/app/api/reports': { body: REPLY } })
    await openTab('Reports')
    const summary = await screen.findByLabelText('Totals')
    const figure = (id: string) => summary.querySelector(`[data-figure="${id}"]`)?.textContent
    expect(figure('offered')).toBe('Offered12,345')
    expect(figure('abandoned')).toBe('Abandoned3plus 1 short')
    expect(figure('service_level')).toBe('Service level (20 s)35.7%Target 80%Below target')
    expect(figure('aht')).toBe('Average handle time1 h 06 min')
    expect(figure('callbacks')).toBe('Callbacks1 / 2completed / requested')
  })

  it('draws the calls chart', async () => {
    renderReports('it', { '/app/api/reports': { body: REPLY } })
    await openTab('Report')
    const chart = await screen.findByRole('region', { name: 'Chiamate per coda' })
    await waitFor(() => expect(chart.querySelectorAll('.recharts-bar-rectangle').length).toBeGreaterThan(0))
    // Vendite has three bars; "no queue" has only offered, because recharts draws no bar for 0 calls.
    expect(chart.querySelectorAll('.recharts-bar-rectangle')).toHaveLength(4)
    expect(within(chart).getByText('Offerte')).toBeTruthy()
    expect(within(chart).getByText('Vendite')).toBeTruthy()
  })

  it('draws every hour of the day', async () => {
    const byHour: ReportReply = { ...REPLY, group_by: 'hour', rows: [{ ...REPLY.rows[0], key: '9', label: '09:00' }] }
    renderReports('en', { '/app/api/reports': { body: byHour } })
    await openTab('Reports')
    const chart = await screen.findByRole('region', { name: 'Calls by hour of day' })
    await waitFor(() => expect(chart.querySelectorAll('.recharts-bar-rectangle')).toHaveLength(3))
    // The axis labels every other hour, from midnight, although only 09:00 had calls.
    expect(within(chart).getByText('00:00')).toBeTruthy()
    expect(within(chart).getByText('22:00')).toBeTruthy()
  })

  it('shows the empty state', async () => {
    renderReports('en', { '/app/api/reports': { body: { ...REPLY, rows: [] } } })
    await openTab('Reports')
    await screen.findByText('No inbound calls in this period.')
  })

  it('shows the bridge error with a retry', async () => {
    const message = 'Invalid request: time_zone "Mars/Olympus" is not an IANA time zone such as Europe/Rome or UTC'
    const { reportRequests } = renderReports('en', { '/app/api/reports': { status: 400, body: { code: 'CENTRALINO_ERR_VALIDATION', message } } })
    await openTab('Reports')
    await screen.findByText(message)
    fireEvent.click(screen.getByRole('button', { name: 'Try again' }))
    await waitFor(() => expect(reportRequests()).toHaveLength(2))
  })
})

describe('reports CSV export', () => {
  let saved: { blob: Blob; name: string }[]

  beforeEach(() => {
    saved = []
    let blob: Blob | undefined
    URL.createObjectURL = vi.fn((value: Blob) => ((blob = value), 'blob:report'))
    URL.revokeObjectURL = vi.fn()
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      saved.push({ blob: blob!, name: this.download })
    })
  })

  afterEach(() => vi.restoreAllMocks())

  it('saves the report on screen as a file', async () => {
    const csv = 'queue,label,offered\r\nsales,Vendite,8\r\n'
    const { bridge, reportRequests } = renderReports('en', {
      '/app/api/reports.csv': { body: csv },
      '/app/api/reports': { body: REPLY },
    })
    await openTab('Reports')
    await screen.findByRole('table')
    // A changed but unapplied form does not change the export.
    setField('Short abandon (seconds)', '9')
    fireEvent.click(screen.getByRole('button', { name: 'Export CSV' }))
    await waitFor(() => expect(saved).toHaveLength(1))
    const exported = bridge.requests.find((request) => request.url.startsWith('/app/api/reports.csv?'))!
    expect(exported.url.split('?')[1]).toBe(reportRequests()[0].url.split('?')[1])
    expect(saved[0].name).toBe('centralino-report-queue.csv')
    // fakeBridge sends every body as JSON, so the saved file is the CSV text in quotes.
    expect(JSON.parse(await readBlob(saved[0].blob))).toBe(csv)
  })

  it('shows why the export failed', async () => {
    renderReports('en', {
      '/app/api/reports.csv': { status: 403, body: { code: 'CENTRALINO_ERR_REPORTS_FORBIDDEN', message: 'Only team leads and admins may see call center reports' } },
      '/app/api/reports': { body: REPLY },
    })
    await openTab('Reports')
    await screen.findByRole('table')
    fireEvent.click(screen.getByRole('button', { name: 'Export CSV' }))
    await screen.findByText('The CSV export failed: Only team leads and admins may see call center reports')
  })
})
