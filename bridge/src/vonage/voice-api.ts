import { tokenGenerate } from '@vonage/jwt'
import type { Config } from '../config'
import { regionBase } from './voice-control'

/** The fields of GET /v1/calls/{uuid} that the bridge reads; times are "YYYY-MM-DD HH:MM:SS" in UTC. */
export interface VonageCallRecord {
  uuid: string
  conversation_uuid?: string
  status: string
  direction?: string
  duration?: string
  start_time?: string | null
  end_time?: string | null
}

/**
 * Reads one call leg from the Voice API. A leg can only be read through its own region,
 * so the answer webhook's region_url is used when it names a Vonage host.
 */
export async function fetchCallLeg(config: Config['vonage'], legId: string, regionUrl: string | null): Promise<VonageCallRecord | undefined> {
  const base = regionBase(regionUrl) ?? config.apiUrl
  const token = tokenGenerate(config.applicationId, config.privateKey, { ttl: 300 })
  const response = await fetch(`${base}/v1/calls/${encodeURIComponent(legId)}`, {
    headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' },
    redirect: 'error',
  })
  if (response.status === 404) return undefined
  if (!response.ok) throw new Error(`Vonage GET /v1/calls/${legId} failed with ${response.status}`)
  return (await response.json()) as VonageCallRecord
}

/** Turns the REST time format into ISO 8601. */
export function restTimeToIso(value: string | null | undefined): string | undefined {
  if (!value) return undefined
  const iso = value.includes('T') ? value : `${value.replace(' ', 'T')}Z`
  return Number.isNaN(Date.parse(iso)) ? undefined : new Date(iso).toISOString()
}
