import { randomUUID } from 'node:crypto'
import type { FastifyRequest } from 'fastify'
import jwt from 'jsonwebtoken'
import { recordingLinkInvalid, sessionInvalid } from './app-errors'

/** The Zendesk user behind an app request, as the bridge verified it. */
export interface AppUser {
  zendeskUserId: number
  name: string
  /** Admins and agents with a custom role listed in APP_LEAD_ROLE_IDS. */
  isLead: boolean
  /** Zendesk admins, who may edit IVR flows in the app. Sessions issued before this field existed lack it. */
  isAdmin?: boolean
  /** Zendesk's `ticket_restriction` of the user (null: every ticket). */
  ticketRestriction: string | null
  organizationId: number | null
  account: string
}

const ISSUER = 'centralino-bridge'
const SESSION_AUDIENCE = 'centralino-app-session'
const RECORDING_AUDIENCE = 'centralino-recording'

/**
 * Issues and checks the bridge's own HS256 tokens: app sessions (sent as a bearer token)
 * and recording links (one recording, a few minutes). They share APP_SESSION_SECRET but
 * have different audiences, so one cannot stand in for the other.
 */
export class SessionTokens {
  constructor(
    private readonly secret: string,
    private readonly sessionTtlSeconds: number,
    private readonly linkTtlSeconds: number,
  ) {}

  issueSession(user: AppUser): { token: string; expiresAt: string } {
    const token = jwt.sign({ user }, this.secret, {
      algorithm: 'HS256',
      issuer: ISSUER,
      audience: SESSION_AUDIENCE,
      subject: String(user.zendeskUserId),
      expiresIn: this.sessionTtlSeconds,
      jwtid: randomUUID(),
    })
    return { token, expiresAt: new Date(Date.now() + this.sessionTtlSeconds * 1000).toISOString() }
  }

  verifySession(request: FastifyRequest): AppUser {
    const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')
    if (!match) throw sessionInvalid('send "Authorization: Bearer <session token>"')
    const claims = this.verify(match[1], SESSION_AUDIENCE, sessionInvalid)
    const user = claims.user as AppUser | undefined
    if (!user || String(user.zendeskUserId) !== claims.sub) throw sessionInvalid('the token carries no user')
    return user
  }

  issueRecordingLink(recordingId: string, playbackId: string, zendeskUserId: number): { token: string; expiresAt: string } {
    const token = jwt.sign({ rid: recordingId, pid: playbackId }, this.secret, {
      algorithm: 'HS256',
      issuer: ISSUER,
      audience: RECORDING_AUDIENCE,
      subject: String(zendeskUserId),
      expiresIn: this.linkTtlSeconds,
    })
    return { token, expiresAt: new Date(Date.now() + this.linkTtlSeconds * 1000).toISOString() }
  }

  verifyRecordingLink(token: string, recordingId: string): { playbackId: string; zendeskUserId: number } {
    const claims = this.verify(token, RECORDING_AUDIENCE, recordingLinkInvalid)
    if (claims.rid !== recordingId) throw recordingLinkInvalid('the link belongs to another recording')
    return { playbackId: String(claims.pid), zendeskUserId: Number(claims.sub) }
  }

  private verify(token: string, audience: string, fail: (reason: string) => Error): jwt.JwtPayload {
    try {
      const claims = jwt.verify(token, this.secret, { algorithms: ['HS256'], issuer: ISSUER, audience })
      if (typeof claims === 'string') throw new Error('the payload is not a JSON object')
      return claims
    } catch (error) {
      throw fail(error instanceof jwt.TokenExpiredError ? 'it expired' : (error as Error).message)
    }
  }
}
