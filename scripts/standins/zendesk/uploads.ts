import { createHash, randomBytes } from 'node:crypto'
import type { IncomingMessage } from 'node:http'

import { badRequest, recordInvalid, recordNotFound } from './errors'
import { zendeskTimestamp, type Route, type ZendeskContext } from './core'
import { SMALL_FILE_LIMIT_BYTES, type UploadedFile, type ZendeskAttachment, type ZendeskUpload } from './model'

interface ReceivedBody {
  size: number
  sha256: string
  bytes: Buffer | null
}

/** Hashes the request body as it streams in, so a large recording is never held in memory. */
async function receiveBody(req: IncomingMessage): Promise<ReceivedBody> {
  const hash = createHash('sha256')
  let size = 0
  let chunks: Buffer[] | null = []
  for await (const chunk of req) {
    const buffer = chunk as Buffer
    hash.update(buffer)
    size += buffer.length
    if (chunks !== null && size < SMALL_FILE_LIMIT_BYTES) {
      chunks.push(buffer)
    } else {
      chunks = null
    }
  }
  return { size, sha256: hash.digest('hex'), bytes: chunks === null ? null : Buffer.concat(chunks) }
}

function isExpired(upload: ZendeskUpload): boolean {
  return Date.parse(upload.expires_at) <= Date.now()
}

function invalidUploadToken(): Error {
  return recordInvalid('base', 'Upload token is invalid')
}

/**
 * Returns the uploads behind `tokens`, or throws 422 when one is unknown, expired or already
 * attached to a comment. Does not mark them used, so call `markUploadsUsed` once the comment exists.
 */
export function requireUsableUploads(context: ZendeskContext, tokens: string[]): ZendeskUpload[] {
  return tokens.map((token) => {
    const upload = context.state.uploads.find((candidate) => candidate.token === token)
    if (!upload || isExpired(upload) || upload.used_by_comment_id !== null) {
      throw invalidUploadToken()
    }
    return upload
  })
}

export function markUploadsUsed(uploads: ZendeskUpload[], commentId: number): void {
  for (const upload of uploads) {
    upload.used_by_comment_id = commentId
  }
}

function mediaType(contentTypeHeader: string | undefined): string {
  const mediaTypeOnly = contentTypeHeader?.split(';')[0]?.trim()
  return mediaTypeOnly || 'application/octet-stream'
}

function buildAttachment(context: ZendeskContext, fileName: string, contentType: string, size: number): ZendeskAttachment {
  const id = context.nextId('attachment')
  const contentToken = randomBytes(12).toString('hex')
  return {
    id,
    url: context.apiUrl(`attachments/${id}`),
    file_name: fileName,
    // NOTE: the stand-in does not serve content_url.
    content_url: `${context.baseUrl}/attachments/token/${contentToken}/?name=${encodeURIComponent(fileName)}`,
    content_type: contentType,
    size,
    inline: false,
    deleted: false,
    malware_scan_result: 'malware_not_found',
    thumbnails: [],
  }
}

/** Finds the upload named by `?token=` for adding another file, or creates a new one. */
function uploadForNewFile(context: ZendeskContext, token: string | null): ZendeskUpload {
  if (token !== null) {
    const [existing] = requireUsableUploads(context, [token])
    return existing
  }
  const upload: ZendeskUpload = {
    token: randomBytes(12).toString('base64url'),
    expires_at: zendeskTimestamp(new Date(Date.now() + context.options.uploadTtlMs)),
    attachments: [],
    files: [],
    used_by_comment_id: null,
  }
  context.state.uploads.push(upload)
  return upload
}

async function receiveUpload(context: ZendeskContext, req: IncomingMessage, query: URLSearchParams) {
  // The body is read before validation, because a response sent while the client is still sending can reset the connection.
  const body = await receiveBody(req)

  const fileName = query.get('filename')
  if (!fileName) {
    throw badRequest('Parameter filename is required')
  }
  const upload = uploadForNewFile(context, query.get('token'))

  const contentType = mediaType(req.headers['content-type'])
  const attachment = buildAttachment(context, fileName, contentType, body.size)
  const file: UploadedFile = {
    attachment_id: attachment.id,
    content_type: contentType,
    size: body.size,
    sha256: body.sha256,
    bytes: body.bytes,
  }
  upload.attachments.push(attachment)
  upload.files.push(file)

  return {
    token: upload.token,
    expires_at: upload.expires_at,
    attachment,
    attachments: upload.attachments,
  }
}

function deleteUpload(context: ZendeskContext, token: string): void {
  const index = context.state.uploads.findIndex((upload) => upload.token === token && upload.used_by_comment_id === null)
  if (index === -1) {
    throw recordNotFound()
  }
  context.state.uploads.splice(index, 1)
}

export const uploadRoutes: Route[] = [
  {
    method: 'POST',
    pattern: /^\/api\/v2\/uploads$/,
    handle: async (context, { req, query }) => ({
      status: 201,
      body: { upload: await receiveUpload(context, req, query) },
    }),
  },
  {
    method: 'DELETE',
    pattern: /^\/api\/v2\/uploads\/([^/]+)$/,
    handle: (context, { params }) => {
      deleteUpload(context, params[0])
      return { status: 204, body: null }
    },
  },
]
