import { randomUUID } from 'node:crypto'
import path from 'node:path'
import type { Bridge } from '../../bridge/src/bridge'
import type { Delivery } from '../simulator/scenarios'
import { sendDelivery, type WebhookCredentials } from '../simulator/send'
import type { VonageStandin } from '../standins/vonage-standin'
import { AUDIO_DIR } from './demo-calls'

export const SUPPORT_LINE = '390240708091'

export interface SunCall {
  label: string
  at: string
  callId: string
  expectTeam: string | null
}

export interface SunSetup {
  bridge: Bridge
  bridgeUrl: string
  apiToken: string
  vonage: VonageStandin
  credentials: WebhookCredentials
  setClock(instant: Date): void
}

const prompt = (it: string, en: string) => ({ it, en })

/** Sets up three teams a world apart through the admin API, as ops would. */
export async function seedFollowTheSun(setup: SunSetup): Promise<void> {
  const teams = [
    ['rome', 'Roma', 'Europe/Rome', 101],
    ['newyork', 'New York', 'America/New_York', 102],
    ['manila', 'Manila', 'Asia/Manila', 103],
  ] as const
  for (const [id, name, timeZone, groupId] of teams) {
    await admin(setup, 'PUT', `/api/admin/teams/${id}`, {
      name,
      time_zone: timeZone,
      wrap_up_seconds: 0,
      zendesk_group_id: groupId,
      shifts: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], start: '09:00', end: '18:00' }],
      holidays: [],
    })
  }
  const agents = [
    ['lucia', 'Lucia Ferri', 'rome', 7001, '+390299000001'],
    ['jordan', 'Jordan Miller', 'newyork', 7002, '+12125550190'],
    ['maria', 'Maria Santos', 'manila', 7003, '+6328880001'],
  ] as const
  for (const [id, name, team, zendeskUserId, number] of agents) {
    await admin(setup, 'PUT', `/api/admin/agents/${id}`, { zendesk_user_id: zendeskUserId, name, team_id: team, languages: ['it', 'en'], devices: [{ type: 'phone', number }] })
    await admin(setup, 'PUT', `/api/admin/agents/${id}/state`, { state: 'available' })
  }
  await admin(setup, 'PUT', '/api/admin/queues/world', { name: 'Assistenza', team_ids: ['rome', 'newyork', 'manila'], overflow: { type: 'voicemail' }, announce_every_seconds: 0 })
  await admin(setup, 'POST', '/api/admin/ivr-flows/sun/versions', {
    start: 'hello',
    nodes: {
      hello: { type: 'say', text: prompt('Assistenza Centralino.', 'Centralino support.'), next: 'queue' },
      queue: { type: 'queue', queue_id: 'world' },
    },
  })
  await admin(setup, 'PUT', `/api/admin/numbers/${encodeURIComponent(`+${SUPPORT_LINE}`)}`, { language: 'it', flow_id: 'sun' })
}

async function admin(setup: SunSetup, method: 'PUT' | 'POST', url: string, payload: unknown): Promise<void> {
  const response = await setup.bridge.app.inject({ method, url, payload: payload as Record<string, unknown>, headers: { authorization: `Bearer ${setup.apiToken}` } })
  if (response.statusCode >= 300) throw new Error(`${method} ${url} answered ${response.statusCode}: ${response.body}`)
}

/** Plays one call of the day at `at`: answered by the team on shift, or a voicemail when none is. */
export async function playSunCall(setup: SunSetup, label: string, at: string, expectTeam: string | null, callerNumber: string): Promise<SunCall> {
  setup.setClock(new Date(at))
  const callId = `CON-${randomUUID()}`
  const callerLeg = randomUUID().replace(/-/g, '')
  const send = (delivery: Delivery) => sendDelivery(setup.bridgeUrl, delivery, setup.credentials)
  const answer = await send({ method: 'GET', path: '/vonage/answer', query: { to: SUPPORT_LINE, from: callerNumber, uuid: callerLeg, conversation_uuid: callId } })
  if (answer.status !== 200) throw new Error(`${label}: answer webhook answered ${answer.status}`)
  await setup.bridge.acd?.settle()

  const offers = await setup.bridge.db.query<{ id: string }>('SELECT id FROM offers WHERE call_id = $1', [callId])
  const offerId = offers.rows[0] ? String(offers.rows[0].id) : undefined
  if (offerId) {
    const created = setup.vonage.createdCalls.at(-1)
    const agentLeg = created?.uuid ?? 'unknown-leg'
    await send(status(created?.conversationUuid ?? callId, agentLeg, 'answered', { step: 'offer', offer: offerId }))
    await send(recording(setup, callId, 'call', 'call-it.mp3', at))
    await send(status(callId, callerLeg, 'completed', {}, { duration: '64' }))
    await send(status(created?.conversationUuid ?? callId, agentLeg, 'completed', { step: 'offer', offer: offerId }, { duration: '60' }))
  } else {
    await send(recording(setup, callId, 'voicemail', 'voicemail-it.mp3', at))
    await send(status(callId, callerLeg, 'completed', {}, { duration: '25' }))
  }
  await setup.bridge.acd?.settle()
  return { label, at, callId, expectTeam }
}

/** Builds the record event of a call's recording (the whole call) or of its voicemail, served by the Vonage stand-in. */
function recording(setup: SunSetup, callId: string, kind: 'call' | 'voicemail', audio: string, at: string): Delivery {
  const fileId = randomUUID()
  setup.vonage.addRecording(fileId, path.join(AUDIO_DIR, audio))
  return {
    method: 'POST',
    path: '/vonage/event',
    query: { recording: kind },
    body: { conversation_uuid: callId, recording_url: setup.vonage.fileUrl(fileId), recording_uuid: randomUUID(), size: '30384', start_time: at, end_time: at, timestamp: at },
  }
}

function status(conversationId: string, leg: string, value: string, query: Record<string, string>, extra: Record<string, unknown> = {}): Delivery {
  return {
    method: 'POST',
    path: '/vonage/event',
    query,
    body: { uuid: leg, conversation_uuid: conversationId, status: value, direction: 'offer' in query ? 'outbound' : 'inbound', timestamp: new Date().toISOString(), headers: {}, ...extra },
  }
}
