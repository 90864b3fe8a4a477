import { generateKeyPairSync, type KeyObject } from 'node:crypto'
import jwt from 'jsonwebtoken'

import type { Route, ZendeskContext } from './core'
import { addUser } from './users'
import type { ZendeskUser } from './model'

/** The app's key pair and ids, as Zendesk keeps them for an installed app. */
export interface AppsStandin {
  appId: number
  installationId: number
  publicKeyPem: string
  /**
   * Signs the token that Zendesk POSTs to a signed location URL: RS256 with the app's
   * private key, `aud` the installation's API URL, `iss` the account host, `sub` the user.
   */
  signLocationToken(zendeskUserId: number, options?: { expiresInSeconds?: number; installationId?: number }): string
  /** Adds an agent or admin, who may use the app. */
  seedStaff(fields: { name: string; email: string; role: 'agent' | 'admin'; locale?: string }): ZendeskUser
}

export const STANDIN_APP_ID = 1001
export const STANDIN_INSTALLATION_ID = 2002

const appsByContext = new WeakMap<ZendeskContext, AppsStandin>()

/** Creates the app's keys for one stand-in; call it once the stand-in knows its base URL. */
export function createAppsStandin(context: ZendeskContext): AppsStandin {
  const keys = generateKeyPairSync('rsa', { modulusLength: 2048 })
  const privateKey: KeyObject = keys.privateKey
  const apps: AppsStandin = {
    appId: STANDIN_APP_ID,
    installationId: STANDIN_INSTALLATION_ID,
    publicKeyPem: keys.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    signLocationToken(zendeskUserId, options = {}) {
      const account = new URL(context.baseUrl).host
      return jwt.sign({}, privateKey, {
        algorithm: 'RS256',
        issuer: account,
        audience: `${context.baseUrl}/api/v2/apps/installations/${options.installationId ?? STANDIN_INSTALLATION_ID}.json`,
        subject: String(zendeskUserId),
        expiresIn: options.expiresInSeconds ?? 300,
      })
    },
    seedStaff: (fields) => addUser(context, { name: fields.name, email: fields.email, role: fields.role, locale: fields.locale }, 0),
  }
  appsByContext.set(context, apps)
  return apps
}

/** GET /api/v2/apps/{app_id}/public_key(.pem): the PEM text of an installed app's public key. */
export const appRoutes: Route[] = [
  {
    method: 'GET',
    pattern: /^\/api\/v2\/apps\/(\d+)\/public_key(?:\.pem)?$/,
    handle: (context, { params }) => {
      const apps = appsByContext.get(context)
      return apps && Number(params[0]) === apps.appId
        ? { status: 200, body: apps.publicKeyPem }
        : { status: 404, body: { error: 'RecordNotFound', description: 'Not found' } }
    },
  },
]
