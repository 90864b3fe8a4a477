import type { Queryable } from '../../src/db/database'
import type { IvrFlow } from '../../src/routing/model'

const prompt = (it: string, en: string) => ({ it, en })

export const ALL_WEEK = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']

export async function seedTeam(db: Queryable, id: string, timeZone: string, shift: { start: string; end: string }, groupId: number, wrapUpSeconds = 0): Promise<void> {
  await db.query(
    `INSERT INTO teams (id, name, time_zone, wrap_up_seconds, zendesk_group_id, shifts) VALUES ($1, $2, $3, $4, $5, $6)`,
    [id, id.toUpperCase(), timeZone, wrapUpSeconds, groupId, JSON.stringify([{ days: ALL_WEEK, ...shift }])],
  )
}

export async function seedAgent(db: Queryable, id: string, teamId: string, zendeskUserId: number, state = 'available', idleSince = new Date(Date.now() - 3600_000)): Promise<void> {
  await db.query(
    `INSERT INTO agents (id, zendesk_user_id, name, team_id, languages, devices, state, state_changed_at) VALUES ($1, $2, $3, $4, '{it,en}', $5, $6, $7)`,
    [id, zendeskUserId, `Agent ${id}`, teamId, JSON.stringify([{ type: 'phone', number: `+3902000${String(zendeskUserId).padStart(5, '0')}` }]), state, idleSince],
  )
}

export async function seedQueue(db: Queryable, id: string, teamIds: string[], overflow: object = { type: 'voicemail' }, extra: Record<string, unknown> = {}): Promise<void> {
  await db.query(
    `INSERT INTO queues (id, name, team_ids, overflow, ring_seconds, announce_every_seconds, max_wait_seconds, zendesk_group_id, callback_key)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [id, id, teamIds, JSON.stringify(overflow), extra.ring_seconds ?? 20, extra.announce_every_seconds ?? 0, extra.max_wait_seconds ?? 600, extra.zendesk_group_id ?? null, extra.callback_key ?? null],
  )
}

/** A small flow: greeting, the caller's open ticket if any, a menu, then the queue. */
export function menuFlow(queueId: string): IvrFlow {
  return {
    start: 'welcome',
    nodes: {
      welcome: { type: 'say', text: prompt('Benvenuto in Centralino.', 'Welcome to Centralino.'), known_caller_text: prompt('Bentornato {name}.', 'Welcome back {name}.'), next: 'ticket' },
      ticket: { type: 'open_ticket', prompt: prompt('Per il ticket {ticket} premi 1.', 'For ticket {ticket} press 1.'), accept_digit: '1', has_ticket: 'queue', no_ticket: 'menu' },
      menu: { type: 'menu', prompt: prompt('Premi 1 per l’assistenza.', 'Press 1 for support.'), options: { '1': 'queue' }, no_input: 'queue', timeout_seconds: 5 },
      queue: { type: 'queue', queue_id: queueId },
    },
  }
}

export async function seedFlow(db: Queryable, id: string, flow: IvrFlow, numbers: string[]): Promise<void> {
  await db.query('INSERT INTO ivr_flows (id, version, definition) VALUES ($1, 1, $2)', [id, JSON.stringify(flow)])
  for (const number of numbers) {
    await db.query(`INSERT INTO phone_numbers (e164, language, flow_id) VALUES ($1, 'it', $2)`, [number, id])
  }
}
