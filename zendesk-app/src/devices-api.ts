import { parsePhoneNumberFromString } from 'libphonenumber-js'
import type { BridgeApi } from './bridge-api'
import type { Translate } from './i18n'

/** A device the bridge can ring: a phone number in E.164, a SIP URI, or a Client SDK user (the softphone). */
export type Device = { type: 'phone'; number: string } | { type: 'sip'; uri: string } | { type: 'app'; user: string }

/** The devices part of `GET /app/api/me` (under `agent`) and the reply of `PUT /app/api/me/device`. */
export interface AgentDevices {
  /** Devices the agent may pick; the softphone is always one of them. */
  devices: Device[]
  /** The device the bridge rings now; null when there is none. */
  active_device: Device | null
  /** False while the agent has not picked a device, so the bridge's default applies. */
  device_chosen: boolean
}

/** Reply of `POST /app/api/softphone/token`: a Client SDK token for the agent's Vonage user. */
export interface SoftphoneToken {
  token: string
  user: string
  expires_at: string
}

/** The session the top bar hands to the softphone pop-out window through postMessage. */
export interface SoftphoneHandoff {
  type: 'centralino-softphone-session'
  session: { token: string; expires_at: string }
  locale: 'en' | 'it'
  timeZone: string
}

/** Stores the device the agent picked; the bridge rejects unknown devices (400) and changes during a call (409). */
export function pickDevice(api: BridgeApi, device: Device): Promise<AgentDevices> {
  return api.json<AgentDevices>('/app/api/me/device', { method: 'PUT', body: device })
}

/** Requests a new Client SDK token, valid for 15 minutes. */
export function requestSoftphoneToken(api: BridgeApi): Promise<SoftphoneToken> {
  return api.json<SoftphoneToken>('/app/api/softphone/token', { method: 'POST' })
}

/** Requests a new app session for the pop-out window, so it never shares the top bar's token. */
export function requestPopoutSession(api: BridgeApi): Promise<{ token: string; expires_at: string }> {
  return api.json<{ token: string; expires_at: string }>('/app/api/session/refresh', { method: 'POST' })
}

/** Returns a stable key of a device, for option values and comparisons. */
export function deviceKey(device: Device): string {
  if (device.type === 'phone') return `phone:${device.number}`
  if (device.type === 'sip') return `sip:${device.uri}`
  return `app:${device.user}`
}

/** Returns the label an agent reads for a device: a grouped phone number, the SIP URI, or "Browser (softphone)". */
export function deviceLabel(device: Device, t: Translate): string {
  if (device.type === 'phone') return t('device.phone', { number: formatPhoneNumber(device.number) })
  if (device.type === 'sip') return t('device.sip', { uri: device.uri })
  return t('device.softphone')
}

/** Formats an E.164 number in its country's international format, such as "+39 02 9900 0042"; anything else is returned as it is. */
export function formatPhoneNumber(e164: string): string {
  const parsed = parsePhoneNumberFromString(e164)
  return parsed ? parsed.formatInternational() : e164
}
