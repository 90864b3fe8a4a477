/** The parts of Zendesk's JSON objects that the bridge reads. */

export interface ZendeskUser {
  id: number
  name: string
  phone?: string | null
  locale?: string
  iana_time_zone?: string
  active?: boolean
}

export type TicketStatus = 'new' | 'open' | 'pending' | 'hold' | 'solved' | 'closed'

export interface ZendeskTicket {
  id: number
  subject?: string
  status: TicketStatus
  requester_id?: number
  updated_at: string
  external_id?: string | null
}

export interface ZendeskAttachment {
  id: number
  file_name: string
  content_type?: string
  size?: number
}

export interface ZendeskComment {
  id: number
  type: string
  body?: string
  public?: boolean
  attachments?: ZendeskAttachment[]
  data?: { call_id?: number | string }
}

export interface ZendeskUpload {
  token: string
  attachment?: ZendeskAttachment
}
