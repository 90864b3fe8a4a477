import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchChromium, openLocation as openInHarness, saveScreenshot as shoot, type Chromium } from './chromium'
import { startBrowserWorld, type BrowserWorld } from './world'

let world: BrowserWorld
let browser: Chromium

beforeAll(async () => {
  browser = await launchChromium()
  world = await startBrowserWorld()
})

afterAll(async () => {
  await browser?.close()
  await world?.close()
})

async function openLocation(location: string, locale: 'it' | 'en', user: 'lead' | 'agent' = 'lead') {
  const { page, app, errors } = await openInHarness(browser, world, location, { locale, user })
  expect(errors).toEqual([])
  return { page, app }
}

describe.each(['it', 'en'] as const)('app locations in %s', (locale) => {
  const text = {
    it: {
      calls: 'Chiamate di questo ticket e del richiedente', log: 'Registro chiamate', state: 'Il tuo stato', incoming: 'Chiamata in arrivo', picker: '2 utenti hanno questo numero',
      mute: 'Silenzia', keypad: 'Tastierino', keypadGroup: 'Toni da inviare al cliente',
      wallboard: 'Wallboard', listen: 'Ascolta', play: 'Ascolta la registrazione',
      call: 'Chiama', userCalls: 'Chiamate recenti con questo utente', answered: 'Risposta', missed: 'Persa',
      logsOnTicket: "Una chiamata da qui viene registrata sul ticket #{id} (Ordine 412 non ancora arrivato), l'ultimo ticket aperto dell'utente.",
    },
    en: {
      calls: 'Calls for this ticket and requester', log: 'Call log', state: 'Your status', incoming: 'Incoming call', picker: '2 users share this number',
      mute: 'Mute', keypad: 'Keypad', keypadGroup: 'Tones to send to the customer',
      wallboard: 'Wallboard', listen: 'Listen', play: 'Play recording',
      call: 'Call', userCalls: 'Recent calls with this user', answered: 'Answered', missed: 'Missed',
      logsOnTicket: "A call from here is logged on ticket #{id} (Ordine 412 non ancora arrivato), the user's latest open ticket.",
    },
  }[locale]

  it('ticket sidebar lists calls and plays a recording', async () => {
    const { page, app } = await openLocation('ticket_sidebar', locale)
    await app.getByText(text.calls).waitFor()
    await app.getByText(text.picker).waitFor()
    expect(await app.locator('li:has(> div > span)').count()).toBe(2)
    await app.getByRole('button', { name: text.play }).first().click()
    const audio = app.locator('audio')
    await audio.waitFor()
    await expect.poll(() => audio.evaluate((element: HTMLAudioElement) => element.readyState), { timeout: 10_000 }).toBeGreaterThan(0)
    await shoot(page, `ticket_sidebar-${locale}`)
    await page.close()
  })

  it('ticket sidebar shows the controls of a live call', async () => {
    const callId = `browser-live-${locale}`
    await world.bridge.db.query(
      `INSERT INTO calls (id, direction, from_e164, to_e164, status, started_at, ticket_id, agent_id, zendesk_state)
       VALUES ($1, 'outbound', '+390240708090', '+393331112222', 'in_progress', now() - interval '95 seconds', $2, 'marco', 'logged')`,
      [callId, world.ticketId],
    )
    try {
      const { page, app } = await openLocation('ticket_sidebar', locale, 'agent')
      const mute = app.getByRole('button', { name: text.mute, exact: true })
      await mute.waitFor()
      expect(await mute.isEnabled()).toBe(true)
      await app.getByRole('button', { name: text.keypad }).click()
      await app.getByRole('group', { name: text.keypadGroup }).waitFor()
      await shoot(page, `ticket_sidebar-live-${locale}`)

      // The stored call has no Vonage legs, so the bridge returns 409 and the sidebar shows its message.
      await mute.click()
      await app.getByRole('alert').getByText(`Call "${callId}" is not in progress with you as its agent`).waitFor()
      expect(await mute.textContent()).toBe(text.mute)
      await page.close()
    } finally {
      await world.bridge.db.query('DELETE FROM calls WHERE id = $1', [callId])
    }
  })

  it('user sidebar lists numbers and calls', async () => {
    const { page, app } = await openLocation('user_sidebar', locale)
    await app.getByRole('heading', { name: text.userCalls }).waitFor()

    // The profile phone comes first, then the second number from Giulia's phone identities.
    const callButtons = app.getByRole('button', { name: new RegExp(`^${text.call} \\+`) })
    expect(await callButtons.count()).toBe(2)
    expect(await app.getByRole('button', { name: `${text.call} +39 333 111 2222` }).isEnabled()).toBe(true)
    expect(await app.getByRole('button', { name: `${text.call} +39 06 1234 5678` }).isEnabled()).toBe(true)

    expect(await app.getByRole('note').textContent()).toBe(text.logsOnTicket.replace('{id}', String(world.ticketId)))

    // Giulia's answered and missed calls are listed, but not the voicemail, which came from another number.
    expect(await app.locator('li:has(> div > span)').count()).toBe(2)
    await app.getByText(text.answered, { exact: true }).waitFor()
    await app.getByText(text.missed, { exact: true }).waitFor()
    await app.getByRole('button', { name: text.play }).first().waitFor()
    await shoot(page, `user_sidebar-${locale}`)
    await page.close()
  })

  it('top bar shows the state and an incoming call', async () => {
    const { page, app } = await openLocation('top_bar', locale, 'agent')
    await app.getByText(text.state).waitFor()
    const offer = await world.bridge.db.query<{ id: string }>(
      `INSERT INTO offers (call_id, agent_id, state, expires_at) VALUES ($1, 'marco', 'ringing', now() + interval '20 seconds') RETURNING id`,
      [world.callIds[1]],
    )
    await app.getByText(text.incoming).waitFor({ timeout: 10_000 })
    await shoot(page, `top_bar-${locale}`)
    await world.bridge.db.query(`UPDATE offers SET state = 'cancelled', ended_at = now() WHERE id = $1`, [offer.rows[0].id])
    await app.getByText(text.incoming).waitFor({ state: 'detached', timeout: 10_000 })
    await page.close()
  })

  it('nav bar shows the call log', async () => {
    const { page, app } = await openLocation('nav_bar', locale)
    await app.getByRole('heading', { name: text.log }).waitFor()
    await app.locator('tbody tr').first().waitFor()
    expect(await app.locator('tbody tr').count()).toBe(3)
    await shoot(page, `nav_bar-${locale}`)

    // A nav bar about 1040 px wide shows every column, with no horizontal scroll.
    await page.setViewportSize({ width: 1040, height: 900 })
    await expect
      .poll(() => app.locator('table').evaluate((table) => table.parentElement!.scrollWidth - table.parentElement!.clientWidth))
      .toBeLessThanOrEqual(0)
    await shoot(page, `nav_bar-1040-${locale}`)
    await page.close()
  })

  it('nav bar shows the wallboard', async () => {
    const db = world.bridge.db
    const waitingId = `browser-waiting-${locale}`
    const liveId = `browser-queue-live-${locale}`
    await db.query(`INSERT INTO queues (id, name, team_ids) VALUES ('browser-sales', 'Vendite', '{}')`)
    await db.query(
      `INSERT INTO calls (id, direction, from_e164, to_e164, status, started_at, queue_id, agent_id, answered_at, zendesk_state)
       VALUES ($1, 'inbound', '+393331112222', '+390240708090', 'in_progress', now() - interval '3 minutes', 'browser-sales', 'marco', now() - interval '170 seconds', 'logged'),
              ($2, 'inbound', '+393334445555', '+390240708090', 'in_progress', now() - interval '75 seconds', 'browser-sales', NULL, NULL, 'logged')`,
      [liveId, waitingId],
    )
    await db.query(
      `INSERT INTO queue_entries (call_id, queue_id, state, language, conversation_name, enqueued_at) VALUES ($1, 'browser-sales', 'waiting', 'it', $2, now() - interval '75 seconds')`,
      [waitingId, `conversation-${waitingId}`],
    )
    try {
      const { page, app } = await openLocation('nav_bar', locale)
      await app.getByRole('tab', { name: text.wallboard }).click()
      await app.getByRole('cell', { name: 'Vendite', exact: true }).waitFor()
      // The bridge's routing may take the waiting caller off the queue at any moment, so the wait timer is checked in the component tests.
      await app.getByRole('button', { name: text.listen }).waitFor()
      await shoot(page, `nav_bar-wallboard-${locale}`)
      await page.close()
    } finally {
      await db.query('DELETE FROM offers WHERE call_id = ANY($1::text[])', [[waitingId, liveId]])
      await db.query('DELETE FROM queue_entries WHERE call_id = $1', [waitingId])
      await db.query('DELETE FROM calls WHERE id = ANY($1::text[])', [[waitingId, liveId]])
      await db.query(`DELETE FROM queues WHERE id = 'browser-sales'`)
    }
  })
})

describe('harness user sidebar', () => {
  it('opens the profile of a given user', async () => {
    const response = await fetch(world.harness.hostUrl('user_sidebar', { userId: world.requesterId }))

    expect(response.status).toBe(200)
    expect(await response.text()).toContain(`"profileUserId":${world.requesterId}`)
  })

  it('rejects an unknown user with 400', async () => {
    const response = await fetch(world.harness.hostUrl('user_sidebar', { userId: 999 }))

    expect(response.status).toBe(400)
    expect(await response.text()).toContain('user_id 999 is not a user of the Zendesk stand-in')
  })
})
