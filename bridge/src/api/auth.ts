import { createHash, timingSafeEqual } from 'node:crypto'
import type { FastifyRequest } from 'fastify'
import { apiUnauthorized } from '../errors'

/**
 * Checks the read API's bearer token. Both sides are hashed first so the comparison takes
 * the same time whatever the length of the token sent.
 */
export function requireApiToken(expected: string) {
  const expectedDigest = createHash('sha256').update(expected).digest()
  return async (request: FastifyRequest): Promise<void> => {
    const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')
    const digest = createHash('sha256').update(match?.[1] ?? '').digest()
    if (!match || !timingSafeEqual(digest, expectedDigest)) throw apiUnauthorized()
  }
}
