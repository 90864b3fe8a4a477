import type { Logger } from 'pino'
import type { Database } from '../db/database'
import { RetryableJobError } from '../errors'
import { normalizeCaller } from '../calls/phone-number'
import type { Language } from '../i18n/language'
import type { ZendeskClient } from './client'
import type { ZendeskUser } from './types'

/** How long one job may hold the right to create the user of a number. */
const CLAIM_SECONDS = 120

/**
 * Finds the Zendesk user for a phone number, or creates one. The local phone index is
 * read first because Zendesk's search needs minutes to show new users. A claim row in
 * that index lets only one job create the user of a number; a second call from the same
 * number waits for it. The new user's external_id is derived from the number, so even a
 * create repeated after a crash returns the same user.
 */
export async function resolveRequester(
  db: Database,
  client: ZendeskClient,
  phone: { e164: string; international: string },
  language: Language,
  defaultCountry: string,
  log: Logger,
): Promise<number> {
  const known = await db.query<{ zendesk_user_id: string | null }>('SELECT zendesk_user_id FROM phone_index WHERE phone_e164 = $1', [phone.e164])
  if (known.rows[0]?.zendesk_user_id) return Number(known.rows[0].zendesk_user_id)

  const claimed = await db.query(
    `INSERT INTO phone_index (phone_e164, claimed_until) VALUES ($1, now() + make_interval(secs => $2))
     ON CONFLICT (phone_e164) DO UPDATE SET claimed_until = EXCLUDED.claimed_until, updated_at = now()
     WHERE phone_index.zendesk_user_id IS NULL AND (phone_index.claimed_until IS NULL OR phone_index.claimed_until < now())
     RETURNING phone_e164`,
    [phone.e164, CLAIM_SECONDS],
  )
  if (claimed.rowCount === 0) {
    throw new RetryableJobError(`another job is looking up the Zendesk user for ${phone.e164}; retrying`)
  }

  const user = (await searchByPhone(client, phone.e164, defaultCountry)) ?? (await createUser(client, phone, language))
  await db.query(
    `UPDATE phone_index SET zendesk_user_id = $2, user_name = $3, claimed_until = NULL, updated_at = now() WHERE phone_e164 = $1`,
    [phone.e164, user.id, user.name],
  )
  log.info({ requesterId: user.id }, 'caller matched to a Zendesk user')
  return user.id
}

export async function searchByPhone(client: ZendeskClient, e164: string, defaultCountry: string): Promise<ZendeskUser | undefined> {
  const result = await client.request<{ users: ZendeskUser[] }>('GET', '/api/v2/users/search.json', { query: { query: e164 } })
  const matches = result.users.filter((user) => {
    const phone = normalizeCaller(user.phone ?? '', defaultCountry)
    return user.active !== false && phone.kind === 'number' && phone.e164 === e164
  })
  // Several users may share a number; the oldest account is the stable choice.
  return matches.sort((a, b) => a.id - b.id)[0]
}

async function createUser(
  client: ZendeskClient,
  phone: { e164: string; international: string },
  language: Language,
): Promise<ZendeskUser> {
  const result = await client.request<{ user: ZendeskUser }>('POST', '/api/v2/users/create_or_update.json', {
    json: {
      user: {
        name: language === 'it' ? `Chiamante ${phone.international}` : `Caller ${phone.international}`,
        phone: phone.e164,
        external_id: `centralino-phone:${phone.e164}`,
        skip_verify_email: true,
        role: 'end-user',
      },
    },
  })
  return result.user
}
