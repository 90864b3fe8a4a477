import { BridgeError } from '../errors'

export const callNotLive = (callId: string) =>
  new BridgeError('CENTRALINO_ERR_CALL_NOT_LIVE', 409, `Call "${callId}" is not in progress with you as its agent`)

export const controlInvalid = (reason: string) => new BridgeError('CENTRALINO_ERR_CALL_CONTROL_INPUT', 400, reason)

export const controlFailed = (action: string, reason: string) =>
  new BridgeError('CENTRALINO_ERR_CALL_CONTROL', 502, `Vonage did not ${action} the call (${reason}); the call is as it was, try again`)

export const transferTargetNotFound = (type: string, id: string) =>
  new BridgeError('CENTRALINO_ERR_TRANSFER_TARGET', 404, `No ${type} "${id}" exists; pick one from the list of transfer targets`)

export const transferRejected = (reason: string) => new BridgeError('CENTRALINO_ERR_TRANSFER_REJECTED', 409, `Cannot transfer the call: ${reason}`)

export const consultNotFound = (callId: string, action: string) =>
  new BridgeError('CENTRALINO_ERR_CONSULT_NOT_FOUND', 409, `Call "${callId}" has no consultation in progress to ${action}; start one with Consult`)

export const consultBusy = (action: string, pending: string) =>
  new BridgeError(
    'CENTRALINO_ERR_CONSULT_BUSY',
    409,
    `Cannot ${action} the consultation: a "${pending}" request for it is already being sent to Vonage; wait for it to finish, then reload the call panel`,
  )

export const unholdDuringConsult = () =>
  new BridgeError('CENTRALINO_ERR_CONSULT_IN_PROGRESS', 409, 'Cannot take the customer off hold during a consultation; use Return or Conference to bring the customer back')
