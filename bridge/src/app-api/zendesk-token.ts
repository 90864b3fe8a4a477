import jwt from 'jsonwebtoken'
import type { Logger } from 'pino'
import { BridgeError } from '../errors'
import type { ZendeskClient } from '../zendesk/client'
import { signedTokenInvalid } from './app-errors'

/** Identity read from a verified signed-URL token. */
export interface SignedIdentity {
  zendeskUserId: number
  installationId: number
  /** Host of the Zendesk account that signed the token, such as acme.zendesk.com. */
  account: string
}

export interface ZendeskTokenOptions {
  /** Base URL of the Zendesk account, such as https://acme.zendesk.com. */
  zendeskBaseUrl: string
  appId?: number
  installationId?: number
  /** A fixed PEM key; without it the key is fetched from Zendesk with `appId`. */
  publicKey?: string
}

const KEY_REFRESH_MIN_MS = 60_000

/**
 * Verifies the RS256 token that Zendesk POSTs (form field `token`) when it loads a location
 * whose URL is signed. The key is Zendesk's public key for the app
 * (GET /api/v2/apps/{app_id}/public_key.pem), fetched once and again after a failed check,
 * at most once a minute, so a rotated key is picked up.
 *
 * NOTE: Zendesk's pages describe the token's `aud` (the installation's API URL, which
 * holds the subdomain and installation id) and its RS256 signature, but not every claim.
 * The user id is read from `sub` and the account from `iss`; check both against a real
 * token (see docs/app-auth.md) before going live.
 */
export class ZendeskTokenVerifier {
  private key?: string
  private keyFetchedAt = 0
  private readonly accountHost: string
  private readonly audience: RegExp

  constructor(
    private readonly options: ZendeskTokenOptions,
    private readonly zendesk: ZendeskClient,
    private readonly log: Logger,
  ) {
    this.key = options.publicKey
    this.accountHost = new URL(options.zendeskBaseUrl).host
    const base = options.zendeskBaseUrl.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
    this.audience = new RegExp(`^${base}/api/v2/apps/installations/(\\d+)(\\.json)?$`)
  }

  async verify(token: string): Promise<SignedIdentity> {
    if (!/^[\w-]+\.[\w-]+\.[\w-]+$/.test(token)) throw signedTokenInvalid('the token is not a JWT')
    let claims: jwt.JwtPayload
    try {
      claims = this.check(token, await this.publicKey(false))
    } catch (error) {
      if (this.options.publicKey !== undefined || Date.now() - this.keyFetchedAt < KEY_REFRESH_MIN_MS) throw this.reject(error)
      try {
        claims = this.check(token, await this.publicKey(true))
      } catch (retryError) {
        throw this.reject(retryError)
      }
    }
    return this.identity(claims)
  }

  private check(token: string, key: string): jwt.JwtPayload {
    const claims = jwt.verify(token, key, { algorithms: ['RS256'], clockTolerance: 30 })
    if (typeof claims === 'string') throw new Error('the payload is not a JSON object')
    if (claims.exp === undefined) throw new Error('the token has no exp claim')
    return claims
  }

  private identity(claims: jwt.JwtPayload): SignedIdentity {
    const audience = Array.isArray(claims.aud) ? claims.aud[0] : claims.aud
    const match = this.audience.exec(audience ?? '')
    if (!match) throw signedTokenInvalid(`aud ${JSON.stringify(audience)} is not an installation of ${this.options.zendeskBaseUrl}`)
    const installationId = Number(match[1])
    if (this.options.installationId !== undefined && installationId !== this.options.installationId) {
      throw signedTokenInvalid(`installation ${installationId} is not APP_INSTALLATION_ID ${this.options.installationId}`)
    }
    if (claims.iss !== undefined && claims.iss !== this.accountHost) {
      throw signedTokenInvalid(`iss ${JSON.stringify(claims.iss)} is not the account ${this.accountHost}`)
    }
    const zendeskUserId = Number(claims.sub)
    if (!Number.isSafeInteger(zendeskUserId) || zendeskUserId <= 0) throw signedTokenInvalid('sub does not hold a Zendesk user id')
    return { zendeskUserId, installationId, account: this.accountHost }
  }

  private reject(error: unknown): Error {
    if (error instanceof BridgeError) return error
    const reason = error instanceof Error ? error.message : String(error)
    this.log.warn({ reason }, 'signed-URL token rejected')
    return signedTokenInvalid(reason)
  }

  private async publicKey(refresh: boolean): Promise<string> {
    if (this.key !== undefined && !refresh) return this.key
    if (this.options.appId === undefined) throw new Error('no public key: set ZAF_APP_ID or APP_PUBLIC_KEY')
    this.keyFetchedAt = Date.now()
    const body = await this.zendesk.request<unknown>('GET', `/api/v2/apps/${this.options.appId}/public_key.pem`)
    const pem = typeof body === 'string' ? body : (body as { public_key?: string } | null)?.public_key
    if (typeof pem !== 'string' || !pem.includes('-----BEGIN')) throw new Error(`Zendesk returned no PEM public key for app ${this.options.appId}`)
    this.key = pem
    this.log.info({ appId: this.options.appId }, 'fetched the Zendesk app public key')
    return pem
  }
}
