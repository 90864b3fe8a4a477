import type { Queryable } from '../db/database'
import { softphoneUserName } from '../softphone/client-token'
import type { Device } from './model'

/** The device columns of an agent row. */
export interface AgentDevices {
  id: string
  devices: Device[]
  active_device: Device | null
}

/** Returns the agent's in-browser softphone, a Client SDK user named after the agent. */
export function softphoneDevice(agentId: string): Device {
  return { type: 'app', user: softphoneUserName(agentId) }
}

/** Lists the devices an agent may pick: the configured ones, then the softphone unless configured already. */
export function deviceChoices(agent: Pick<AgentDevices, 'id' | 'devices'>): Device[] {
  const softphone = softphoneDevice(agent.id)
  const configured = agent.devices.some((device) => sameDevice(device, softphone))
  return configured ? [...agent.devices] : [...agent.devices, softphone]
}

export function sameDevice(a: Device, b: Device): boolean {
  return deviceAddress(a) === deviceAddress(b) && a.type === b.type
}

/** Returns the number, URI or user name that identifies a device. */
export function deviceAddress(device: Device): string {
  if (device.type === 'phone') return device.number
  if (device.type === 'sip') return device.uri
  return device.user
}

/**
 * Returns the device to ring for an offer or a click-to-call. That is the device the agent
 * picked while it is still one of their choices, because an admin may have removed it since.
 * Without a valid pick it is the first configured phone or SIP device, else the first
 * configured device, else undefined.
 */
export function findDeviceToRing(agent: AgentDevices): Device | undefined {
  const active = agent.active_device
  if (active && deviceChoices(agent).some((choice) => sameDevice(choice, active))) return active
  return agent.devices.find((device) => device.type !== 'app') ?? agent.devices[0]
}

/** Like findDeviceToRing, but rings the softphone, the agent's only choice, when nothing else is configured. */
export function deviceToRing(agent: AgentDevices): Device {
  return findDeviceToRing(agent) ?? softphoneDevice(agent.id)
}

/** Reads the device columns of the agent linked to a Zendesk user. */
export async function readAgentDevices(db: Queryable, zendeskUserId: number): Promise<AgentDevices | undefined> {
  const result = await db.query<AgentDevices>('SELECT id, devices, active_device FROM agents WHERE zendesk_user_id = $1', [zendeskUserId])
  return result.rows[0]
}
