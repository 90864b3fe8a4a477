/**
 * Records kept by the Zendesk stand-in. Field names follow the Zendesk Support API v2 JSON,
 * so a record is sent as the response body unchanged, apart from fields marked internal below.
 */

export type TicketStatus = 'new' | 'open' | 'pending' | 'hold' | 'solved' | 'closed'

export const TICKET_STATUSES: readonly TicketStatus[] = ['new', 'open', 'pending', 'hold', 'solved', 'closed']

export interface ZendeskUser {
  id: number
  url: string
  name: string
  email: string | null
  phone: string | null
  external_id: string | null
  role: 'end-user' | 'agent' | 'admin'
  locale: string
  created_at: string
  updated_at: string
}

/** Identity types that the Create Identity endpoint accepts, as Zendesk's User Identities API lists them. */
export const IDENTITY_TYPES = ['email', 'twitter', 'facebook', 'google', 'agent_forwarding', 'phone_number'] as const

export type IdentityType = (typeof IDENTITY_TYPES)[number]

/** A user identity: an email address, phone number or other handle that identifies the user. */
export interface ZendeskUserIdentity {
  id: number
  url: string
  user_id: number
  type: IdentityType
  value: string
  verified: boolean
  primary: boolean
  undeliverable_count: number
  created_at: string
  updated_at: string
}

export interface ZendeskTicket {
  id: number
  url: string
  subject: string
  description: string
  status: TicketStatus
  priority: string | null
  requester_id: number
  submitter_id: number
  assignee_id: number | null
  tags: string[]
  external_id: string | null
  via_followup_source_id: number | null
  created_at: string
  updated_at: string
}

export interface ZendeskAttachment {
  id: number
  url: string
  file_name: string
  content_url: string
  content_type: string
  size: number
  inline: boolean
  deleted: boolean
  malware_scan_result: 'malware_not_found'
  thumbnails: never[]
}

export type CommentType = 'Comment' | 'VoiceComment' | 'TpeVoiceComment'

/** A ticket comment. `ticket_id` is internal: it serves lookups and is left out of API responses. */
export interface ZendeskComment {
  id: number
  ticket_id: number
  type: CommentType
  author_id: number
  body: string
  html_body: string
  plain_body: string
  public: boolean
  attachments: ZendeskAttachment[]
  data?: Record<string, unknown>
  created_at: string
}

/** The bytes behind one attachment: always the size and digest, the bytes only for small files. */
export interface UploadedFile {
  attachment_id: number
  content_type: string
  size: number
  sha256: string
  /** The file itself when it is under SMALL_FILE_LIMIT_BYTES, otherwise null. */
  bytes: Buffer | null
}

/** One upload token and the files sent under it. */
export interface ZendeskUpload {
  token: string
  expires_at: string
  attachments: ZendeskAttachment[]
  files: UploadedFile[]
  /** Id of the comment that attached this token, or null while the token is unused. */
  used_by_comment_id: number | null
}

/** A Talk Partner Edition call record: the fields the client sent, plus the ones Zendesk adds. */
export interface ZendeskCall {
  id: number
  app_id: number | string
  ticket_id: number | null
  external_id: string | null
  from_line: string
  to_line: string
  call_started_at: string
  direction: 'inbound' | 'outbound'
  created_at: string
  updated_at: string
  [field: string]: unknown
}

/** One request as the stand-in saw it. Headers are left out so that credentials never reach the log. */
export interface RequestLogEntry {
  method: string
  path: string
  query: Record<string, string>
  status: number
  at: string
}

export interface ZendeskStandinState {
  users: ZendeskUser[]
  tickets: ZendeskTicket[]
  comments: ZendeskComment[]
  uploads: ZendeskUpload[]
  calls: ZendeskCall[]
  requests: RequestLogEntry[]
  /** Identities added through the API or `seedIdentity`. The primary email and phone come from the user record. */
  identities: ZendeskUserIdentity[]
}

/** Files under this size keep their bytes in memory, so tests can compare content without large copies. */
export const SMALL_FILE_LIMIT_BYTES = 1024 * 1024
