import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'

/** Settings of the Zendesk app's API; the API is off while `sessionSecret` is unset. */
export interface AppSettings {
  /** HMAC key of the sessions and recording links that the bridge issues to the app. */
  sessionSecret?: string
  /** PEM public key that verifies Zendesk's signed-URL tokens; fetched from Zendesk when unset. */
  publicKey?: string
  /** When set, only tokens for this installation of the app are accepted. */
  installationId?: number
  /** Zendesk custom role ids whose agents see every call, as admins do. */
  leadRoleIds: number[]
  sessionTtlSeconds: number
  recordingLinkSeconds: number
  /** Folder of the built app; unset means zendesk-app/dist of this repository. */
  distDir?: string
}

/** Accepts the PEM text itself (with real or escaped newlines) or the path of a PEM file. */
export function readAppPublicKey(value: string): string {
  let pem = value.replace(/\\n/g, '\n')
  if (!pem.includes('-----BEGIN')) {
    const file = path.resolve(value)
    if (!existsSync(file)) throw new Error(`file ${file} not found: expected a PEM public key or its path`)
    pem = readFileSync(file, 'utf8')
  }
  if (!/-----BEGIN (RSA )?PUBLIC KEY-----/.test(pem)) throw new Error('expected a PEM public key ("-----BEGIN PUBLIC KEY-----") or the path of a PEM file')
  return pem
}
