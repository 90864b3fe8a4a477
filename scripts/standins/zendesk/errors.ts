import { HttpError } from '../http'

/**
 * Error bodies in Zendesk's shape: `error` is a code such as RecordInvalid, `description` a
 * sentence, and `details` lists the invalid fields.
 */

export function recordInvalid(field: string, description: string): HttpError {
  return new HttpError(422, {
    error: 'RecordInvalid',
    description: 'Record validation errors',
    details: { [field]: [{ description }] },
  })
}

export function recordNotFound(): HttpError {
  return new HttpError(404, { error: 'RecordNotFound', description: 'Not found' })
}

export function invalidEndpoint(): HttpError {
  return new HttpError(404, { error: 'InvalidEndpoint', description: 'Not found' })
}

export function badRequest(description: string): HttpError {
  return new HttpError(400, { error: 'BadRequest', description })
}

export const INVALID_JSON_BODY = {
  error: 'Unprocessable Entity',
  description: 'The request body is not valid JSON',
}

export const UNAUTHORIZED_BODY = { error: "Couldn't authenticate you" }

export const RATE_LIMITED_BODY = {
  error: 'APIRateLimitExceeded',
  description: 'Number of allowed API requests per minute exceeded',
}
