import { Type } from '@sinclair/typebox'
import type { FastifyInstance } from 'fastify'
import type { Database } from '../db/database'
import { BridgeError } from '../errors'
import { deviceAddress, deviceChoices, findDeviceToRing, sameDevice, type AgentDevices } from '../routing/devices'
import { Device } from '../routing/model'
import { notAnAgent } from './app-errors'
import type { AppContext } from './app-routes'

const ErrorReply = Type.Object({ code: Type.String(), message: Type.String() })

/** The devices part of `GET /app/api/me` and the reply of `PUT /app/api/me/device`. */
export const AgentDevicesReply = Type.Object({
  devices: Type.Array(Device, { description: 'devices the agent may pick, the softphone included' }),
  active_device: Type.Union([Device, Type.Null()], { description: 'the device the bridge rings now; null when there is none' }),
  device_chosen: Type.Boolean({ description: 'false while the agent has not picked a device, so the default applies' }),
})

export const deviceUnknown = (device: Device) =>
  new BridgeError('CENTRALINO_ERR_DEVICE_UNKNOWN', 400, `Device "${deviceAddress(device)}" (${device.type}) is not one of your devices: pick one listed by GET /app/api/me, or ask an admin to add it`)

export const deviceBusy = () =>
  new BridgeError('CENTRALINO_ERR_DEVICE_BUSY', 409, 'You cannot change device while a call is ringing for you or you are on a call; try again when it ends')

/** Builds the devices reply of an agent row. */
export function devicesReply(agent: AgentDevices) {
  return { devices: deviceChoices(agent), active_device: findDeviceToRing(agent) ?? null, device_chosen: agent.active_device !== null }
}

/** Registers `PUT /app/api/me/device`, which picks the device the bridge rings for the agent's offers and click-to-call. */
export async function appDeviceRoutes(app: FastifyInstance, context: AppContext): Promise<void> {
  app.put<{ Body: Device }>(
    '/app/api/me/device',
    { schema: { body: Device, response: { 200: AgentDevicesReply, 400: ErrorReply, 401: ErrorReply, 404: ErrorReply, 409: ErrorReply } } },
    async (request) => {
      const user = context.authenticate(request)
      const agent = await pickDevice(context.db, user.zendeskUserId, request.body)
      request.log.info({ agentId: agent.id, zendeskUserId: user.zendeskUserId, deviceType: request.body.type }, 'agent picked a device')
      return devicesReply(agent)
    },
  )
}

/**
 * Stores the agent's pick. The agent row stays locked from the check to the update, so an
 * admin's device change or a new offer cannot slip in between.
 */
async function pickDevice(db: Database, zendeskUserId: number, device: Device): Promise<AgentDevices> {
  return db.transaction(async (tx) => {
    const result = await tx.query<AgentDevices & { state: string }>('SELECT id, devices, active_device, state FROM agents WHERE zendesk_user_id = $1 FOR UPDATE', [zendeskUserId])
    const agent = result.rows[0]
    if (!agent) throw notAnAgent(zendeskUserId)
    if (!deviceChoices(agent).some((choice) => sameDevice(choice, device))) throw deviceUnknown(device)
    if (agent.state === 'offered' || agent.state === 'on_call') throw deviceBusy()
    await tx.query('UPDATE agents SET active_device = $2, updated_at = now() WHERE id = $1', [agent.id, JSON.stringify(device)])
    return { id: agent.id, devices: agent.devices, active_device: device }
  })
}
