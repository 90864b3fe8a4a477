import { tokenGenerate } from '@vonage/jwt'
import type { Config } from '../config'
import type { Database } from '../db/database'
import { BridgeError } from '../errors'

/** Lifetime of a Client SDK token in seconds. The app requests a new one before it runs out. */
export const CLIENT_TOKEN_SECONDS = 900

/**
 * Permissions of a Client SDK token, as Vonage's Client SDK guides list it:
 * sessions, users, conversations, legs and the media they carry.
 */
const CLIENT_ACL = {
  paths: {
    '/*/users/**': {},
    '/*/conversations/**': {},
    '/*/sessions/**': {},
    '/*/devices/**': {},
    '/*/image/**': {},
    '/*/media/**': {},
    '/*/applications/**': {},
    '/*/push/**': {},
    '/*/knocking/**': {},
    '/*/legs/**': {},
  },
}

const notAnAgent = () => new BridgeError('CENTRALINO_ERR_SOFTPHONE_AGENT', 409, 'You are not set up as an agent of the call center; ask an admin to add you')
const vonageUnreachable = (cause: unknown) =>
  new BridgeError('CENTRALINO_ERR_SOFTPHONE_USER', 502, 'The bridge could not reach Vonage to set up your softphone user; try again in a minute', { cause })
const userFailed = (status: number) => new BridgeError('CENTRALINO_ERR_SOFTPHONE_USER', 502, `Vonage did not create your softphone user (${status}); try again`)

/** Returns the Vonage user name of an agent's in-browser softphone. */
export function softphoneUserName(agentId: string): string {
  return `centralino-agent-${agentId}`
}

/**
 * Issues a short-lived Client SDK token for the agent's in-browser softphone, creating the
 * agent's Vonage user on first use. The token never carries the application's key: it is
 * a JWT signed with it, valid for CLIENT_TOKEN_SECONDS, and names the user in `sub`.
 */
export async function issueClientToken(db: Database, config: Config, zendeskUserId: number): Promise<{ token: string; user: string; expiresAt: string }> {
  const agent = await db.query<{ id: string; name: string }>('SELECT id, name FROM agents WHERE zendesk_user_id = $1', [zendeskUserId])
  const row = agent.rows[0]
  if (!row) throw notAnAgent()
  const user = softphoneUserName(row.id)
  await ensureVonageUser(config.vonage, user, row.name)
  const token = tokenGenerate(config.vonage.applicationId, config.vonage.privateKey, { subject: user, acl: CLIENT_ACL, ttl: CLIENT_TOKEN_SECONDS })
  return { token, user, expiresAt: new Date(Date.now() + CLIENT_TOKEN_SECONDS * 1000).toISOString() }
}

/** Creates the Vonage user unless it exists already (Vonage answers 409 for a taken name). */
async function ensureVonageUser(config: Config['vonage'], name: string, displayName: string): Promise<void> {
  const token = tokenGenerate(config.applicationId, config.privateKey, { ttl: 300 })
  const response = await fetch(`${config.apiUrl}/v1/users`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify({ name, display_name: displayName }),
    redirect: 'error',
  }).catch((error: unknown) => {
    throw vonageUnreachable(error)
  })
  await response.body?.cancel()
  if (!response.ok && response.status !== 409) throw userFailed(response.status)
}
