import { readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import { abandoned, answeredWithRecording, duplicate, missed, shuffle, voicemail, withheld } from '../../../scripts/simulator/scenarios'
import { AUDIO_DIR, settled, startCallFlowWorld, type CallFlowWorld } from '../helpers/call-flow'

let world: CallFlowWorld

beforeAll(async () => {
  world = await startCallFlowWorld()
})

afterAll(async () => {
  await world.close()
})

const ticketsFor = (callId: string) => world.zendesk.state.tickets.filter((ticket) => ticket.external_id === `centralino-call:${callId}`)
const commentsOf = (ticketId: number) => world.zendesk.state.comments.filter((comment) => comment.ticket_id === ticketId)
const attachmentsOf = (ticketId: number) => commentsOf(ticketId).flatMap((comment) => comment.attachments)

describe('answered call', () => {
  it('becomes one ticket with the recording attached', async () => {
    const callId = await world.play(answeredWithRecording(world.input('393471234567')))
    const call = await world.waitForCall(callId, settled, 'the call to settle')

    expect(call.outcome).toBe('answered')
    expect(call.duration_seconds).toBe(26)
    expect(call.talk_seconds).toBe(20)
    expect(call.zendesk.state).toBe('logged')
    const tickets = ticketsFor(callId)
    expect(tickets).toHaveLength(1)
    expect(tickets[0].subject).toBe('Chiamata da +393471234567')
    expect(tickets[0].tags).toEqual(expect.arrayContaining(['centralino', 'centralino_inbound', 'centralino_answered']))
    expect(call.zendesk.ticket_id).toBe(tickets[0].id)

    const requester = world.zendesk.state.users.find((user) => user.id === tickets[0].requester_id)
    expect(requester?.phone).toBe('+393471234567')
    expect(requester?.name).toBe('Chiamante +39 347 123 4567')

    const note = commentsOf(tickets[0].id)[0]
    expect(note.public).toBe(false)
    expect(note.body).toContain('Da: +393471234567')
    expect(note.body).toContain('A: +390240708090')
    expect(note.body).toContain('Durata: 26 s')
    expect(note.body).toContain('Operatore: +390299887766')
    expect(note.body).toContain('Esito: risposta')
    expect(note.body).toContain(`Rif. Centralino: ${callId}`)

    const attachments = attachmentsOf(tickets[0].id)
    expect(attachments).toHaveLength(1)
    expect(attachments[0].content_type).toBe('audio/mpeg')
    expect(attachments[0].size).toBe(statSync(path.join(AUDIO_DIR, 'call-it.mp3')).size)
    expect(attachments[0].file_name).toBe(`call-${callId}-${call.recordings[0].id}.mp3`)
    expect(call.recordings[0].state).toBe('attached')
  })

  it('uploads the exact bytes Vonage served', async () => {
    const callId = await world.play(answeredWithRecording(world.input('393471234568')))
    const call = await world.waitForCall(callId, settled, 'the call to settle')
    const upload = world.zendesk.state.uploads.find((item) => item.attachments[0].file_name.includes(call.recordings[0].id))
    expect(upload?.files[0].bytes?.equals(readFileSync(path.join(AUDIO_DIR, 'call-it.mp3')))).toBe(true)
  })
})

describe('webhook order and duplicates', () => {
  it.each([1, 2, 3, 4, 5])('give one ticket and one attachment (seed %i)', async (seed) => {
    const caller = `39347100000${seed}`
    const callId = await world.play(shuffle(duplicate(answeredWithRecording(world.input(caller))), seed))
    const call = await world.waitForCall(callId, settled, 'the call to settle')
    expect(call.outcome).toBe('answered')
    expect(call.duration_seconds).toBe(26)
    expect(ticketsFor(callId)).toHaveLength(1)
    expect(attachmentsOf(call.zendesk.ticket_id)).toHaveLength(1)
    expect(world.zendesk.state.users.filter((user) => user.phone === `+${caller}`)).toHaveLength(1)
  })
})

describe('call outcomes', () => {
  it('logs a missed call', async () => {
    const callId = await world.play(missed(world.input('393471234570')))
    const call = await world.waitForCall(callId, settled, 'the call to settle')
    expect(call.outcome).toBe('missed')
    expect(ticketsFor(callId)[0].subject).toBe('Chiamata persa da +393471234570')
    expect(ticketsFor(callId)[0].tags).toContain('centralino_missed')
  })

  it('logs a voicemail with its message attached', async () => {
    const callId = await world.play(voicemail(world.input('393471234571', '390240708090', 'voicemail-it.mp3')))
    const call = await world.waitForCall(callId, settled, 'the call to settle')
    expect(call.outcome).toBe('voicemail')
    const [ticket] = ticketsFor(callId)
    expect(ticket.subject).toBe('Messaggio vocale da +393471234571')
    const voicemailNote = commentsOf(ticket.id).find((comment) => comment.attachments.length > 0)
    expect(voicemailNote?.body).toMatch(/^Messaggio vocale \(8 s\)/)
    expect(voicemailNote?.attachments[0].file_name).toMatch(/^voicemail-/)
  })

  it('logs an abandoned call', async () => {
    const callId = await world.play(abandoned(world.input('393471234572')))
    const call = await world.waitForCall(callId, settled, 'the call to settle')
    expect(call.outcome).toBe('abandoned')
    expect(ticketsFor(callId)[0].tags).toContain('centralino_abandoned')
  })

  it('creates no user for a withheld number', async () => {
    const users = world.zendesk.state.users.length
    const callId = await world.play(withheld(world.input('Unknown')))
    const call = await world.waitForCall(callId, settled, 'the call to settle')
    expect(call.caller_withheld).toBe(true)
    expect(world.zendesk.state.users).toHaveLength(users)
    expect(ticketsFor(callId)[0].subject).toBe('Chiamata da numero privato')
    expect(call.zendesk.requester_id).toBeNull()
  })

  it('writes English texts for an English account', async () => {
    const english = await startCallFlowWorld({ env: { ZENDESK_LOCALE: 'en', ZENDESK_TIME_ZONE: 'America/New_York' } })
    try {
      const callId = await english.play(missed(english.input('14845552121', '16105553939')))
      const call = await english.waitForCall(callId, settled, 'the call to settle')
      const ticket = english.zendesk.state.tickets.find((item) => item.id === call.zendesk.ticket_id)
      expect(ticket?.subject).toBe('Missed call from +14845552121')
      const note = english.zendesk.state.comments.find((comment) => comment.ticket_id === ticket?.id)
      expect(note?.body).toContain('Outcome: missed')
      expect(note?.body).toContain('(America/New_York)')
      expect(english.zendesk.state.users.at(-1)?.name).toBe('Caller +1 484 555 2121')
    } finally {
      await english.close()
    }
  })
})

describe('ticket reuse', () => {
  it('logs the call on the caller’s open ticket and says why', async () => {
    const user = world.zendesk.seedUser({ name: 'Giulia Rossi', phone: '+393331112222' })
    const ticket = world.zendesk.seedTicket({ requesterId: user.id, subject: 'Ordine 412 non arrivato', status: 'open' })
    const callId = await world.play(answeredWithRecording(world.input('393331112222')))
    const call = await world.waitForCall(callId, settled, 'the call to settle')

    expect(call.zendesk.ticket_id).toBe(ticket.id)
    expect(call.zendesk.ticket_reused).toBe(true)
    expect(call.zendesk.requester_id).toBe(user.id)
    expect(ticketsFor(callId)).toHaveLength(0)
    const note = commentsOf(ticket.id).find((comment) => comment.body.includes(callId))
    expect(note?.body).toMatch(/^Chiamata registrata su questo ticket perché il chiamante ha già un ticket aperto aggiornato negli ultimi 7 giorni\./)
    expect(attachmentsOf(ticket.id)).toHaveLength(1)
    expect(world.zendesk.state.users.filter((item) => item.phone === '+393331112222')).toHaveLength(1)
  })

  it('ignores a solved ticket and one older than the window', async () => {
    const user = world.zendesk.seedUser({ name: 'Marco Bianchi', phone: '+393331113333' })
    world.zendesk.seedTicket({ requesterId: user.id, subject: 'Vecchio', status: 'open', updatedAt: new Date(Date.now() - 9 * 24 * 3600 * 1000) })
    world.zendesk.seedTicket({ requesterId: user.id, subject: 'Risolto', status: 'solved' })
    const callId = await world.play(missed(world.input('393331113333')))
    const call = await world.waitForCall(callId, settled, 'the call to settle')
    expect(call.zendesk.ticket_reused).toBe(false)
    expect(ticketsFor(callId)).toHaveLength(1)
  })

  it('creates a follow-up when the ticket is closed before the recording arrives', async () => {
    const deliveries = answeredWithRecording(world.input('393471234580'))
    const recordEvent = deliveries.filter((delivery) => delivery.body && 'recording_url' in delivery.body)
    const callId = await world.play(deliveries.filter((delivery) => !recordEvent.includes(delivery)))
    const logged = await world.waitForCall(callId, (call) => call.zendesk.state === 'logged', 'the ticket')
    world.zendesk.closeTicket(logged.zendesk.ticket_id)

    await world.play([deliveries[0], ...recordEvent])
    const call = await world.waitForCall(callId, settled, 'the recording to settle')
    const followUp = world.zendesk.state.tickets.find((ticket) => ticket.via_followup_source_id === logged.zendesk.ticket_id)
    expect(followUp).toBeDefined()
    expect(call.recordings[0].ticket_id).toBe(followUp?.id)
    expect(attachmentsOf(followUp!.id)).toHaveLength(1)
    expect(commentsOf(logged.zendesk.ticket_id)).toHaveLength(1)
  })

  it('always opens a new ticket in always_new mode', async () => {
    const fresh = await startCallFlowWorld({ env: { TICKET_MODE: 'always_new' } })
    try {
      const user = fresh.zendesk.seedUser({ name: 'Anna Verdi', phone: '+393331114444' })
      const open = fresh.zendesk.seedTicket({ requesterId: user.id, subject: 'Aperto', status: 'open' })
      const callId = await fresh.play(missed(fresh.input('393331114444')))
      const call = await fresh.waitForCall(callId, settled, 'the call to settle')
      expect(call.zendesk.ticket_id).not.toBe(open.id)
      expect(call.zendesk.ticket_reused).toBe(false)
    } finally {
      await fresh.close()
    }
  })
})

describe('requesters', () => {
  it('creates one user when two calls from a new number arrive together', async () => {
    const first = answeredWithRecording(world.input('393479998877'))
    const second = missed(world.input('393479998877'))
    const [firstId, secondId] = await Promise.all([world.play(first), world.play(second)])
    await world.waitForCall(firstId, settled, 'the first call')
    await world.waitForCall(secondId, settled, 'the second call')
    expect(world.zendesk.state.users.filter((user) => user.phone === '+393479998877')).toHaveLength(1)
  })
})
