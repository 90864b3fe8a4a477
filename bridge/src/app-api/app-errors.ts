import { BridgeError } from '../errors'

/** Errors of the Zendesk app's API. Codes start with CENTRALINO_ERR_APP_ so clients can match on them. */

export const appApiDisabled = () =>
  new BridgeError('CENTRALINO_ERR_APP_DISABLED', 503, 'The Zendesk app API is off: set APP_SESSION_SECRET and ZAF_APP_ID (or APP_PUBLIC_KEY) on the bridge')

export const signedTokenInvalid = (reason: string) =>
  new BridgeError('CENTRALINO_ERR_APP_SIGNED_TOKEN', 401, `Invalid Zendesk signed-URL token: ${reason}. Open the app from Zendesk again`)

export const sessionInvalid = (reason: string) =>
  new BridgeError('CENTRALINO_ERR_APP_SESSION', 401, `Invalid app session: ${reason}. Reload the app in Zendesk to start a new session`)

export const zendeskUserRejected = (userId: number, reason: string) =>
  new BridgeError('CENTRALINO_ERR_APP_USER', 403, `Zendesk user ${userId} may not use Centralino: ${reason}`)

export const ticketForbidden = (ticketId: number) =>
  new BridgeError('CENTRALINO_ERR_APP_TICKET_FORBIDDEN', 403, `You cannot open ticket ${ticketId} in Zendesk, so its calls are hidden`)

export const callForbidden = (callId: string) =>
  new BridgeError('CENTRALINO_ERR_APP_CALL_FORBIDDEN', 403, `Call "${callId}" is neither yours nor on a ticket you can open`)

export const recordingNotFound = (id: string) =>
  new BridgeError('CENTRALINO_ERR_APP_RECORDING_NOT_FOUND', 404, `Recording "${id}" not found`)

export const recordingUnavailable = (id: string, reason: string) =>
  new BridgeError('CENTRALINO_ERR_APP_RECORDING_UNAVAILABLE', 502, `Recording "${id}" cannot be played now: ${reason}`)

export const recordingLinkInvalid = (reason: string) =>
  new BridgeError('CENTRALINO_ERR_APP_RECORDING_LINK', 403, `Invalid recording link: ${reason}. Press play again for a new link`)

export const notAnAgent = (userId: number) =>
  new BridgeError('CENTRALINO_ERR_APP_NOT_AN_AGENT', 404, `Zendesk user ${userId} is not a Centralino agent: an admin adds them with POST /api/admin/agents`)

export const offerNotFound = (id: string) =>
  new BridgeError('CENTRALINO_ERR_APP_OFFER_NOT_FOUND', 404, `Offer "${id}" is not ringing for you (it was taken, missed or cancelled)`)

export const outboundFailed = (status: number) =>
  new BridgeError('CENTRALINO_ERR_OUTBOUND_FAILED', 502, `Vonage did not place the call (${status}); nothing was dialled, try again`)
