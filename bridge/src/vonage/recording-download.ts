import { tokenGenerate } from '@vonage/jwt'
import type { Config } from '../config'
import { PermanentJobError, RetryableJobError } from '../errors'
import { rejectRecordingUrl } from './recording-hosts'

export interface RecordingStream {
  body: ReadableStream<Uint8Array>
  contentType: string
  contentLength?: number
}

/** Thrown while the stream runs when the file turns out larger than the limit. */
export class RecordingTooLargeError extends Error {
  constructor(readonly limitBytes: number) {
    super(`the recording is larger than RECORDING_MAX_BYTES (${limitBytes} bytes)`)
    this.name = 'RecordingTooLargeError'
  }
}

/**
 * Opens a recording for streaming. The application's JWT goes only to hosts allowed by
 * VONAGE_RECORDING_HOSTS, and a redirect is never followed with it. A 404 means Vonage is
 * still processing the file, so the job retries later.
 */
export async function openRecording(url: string, config: Config['vonage'], maxBytes: number, signal?: AbortSignal): Promise<RecordingStream> {
  const refusal = rejectRecordingUrl(url, config.recordingHosts)
  if (refusal !== undefined) throw new PermanentJobError(`recording URL refused: ${refusal}`)

  const token = tokenGenerate(config.applicationId, config.privateKey, { ttl: 300 })
  const response = await fetch(url, { headers: { Authorization: `Bearer ${token}` }, redirect: 'manual', signal })
  if (response.status === 404) {
    await response.body?.cancel()
    throw new RetryableJobError('Vonage has not made the recording available yet (404)')
  }
  if (response.status === 401 || response.status === 403) {
    await response.body?.cancel()
    throw new PermanentJobError(`Vonage refused the application token (${response.status}): check VONAGE_APPLICATION_ID and VONAGE_PRIVATE_KEY`)
  }
  if (!response.ok || response.body === null) {
    await response.body?.cancel()
    throw new RetryableJobError(`Vonage answered ${response.status} for the recording`)
  }
  const contentLength = Number(response.headers.get('content-length'))
  if (Number.isFinite(contentLength) && contentLength > maxBytes) {
    await response.body.cancel()
    throw new RecordingTooLargeError(maxBytes)
  }
  return {
    body: response.body.pipeThrough(limitBytes(maxBytes)),
    contentType: (response.headers.get('content-type') ?? 'audio/mpeg').split(';')[0].trim(),
    contentLength: Number.isFinite(contentLength) && contentLength > 0 ? contentLength : undefined,
  }
}

/** Passes chunks through unchanged and fails the stream once more than `max` bytes went by. */
function limitBytes(max: number): TransformStream<Uint8Array, Uint8Array> {
  let seen = 0
  return new TransformStream({
    transform(chunk, controller) {
      seen += chunk.byteLength
      if (seen > max) controller.error(new RecordingTooLargeError(max))
      else controller.enqueue(chunk)
    },
  })
}

/** Returns the file extension Zendesk expects for a recording's content type. */
export function extensionFor(contentType: string): string {
  if (contentType === 'audio/wav' || contentType === 'audio/x-wav' || contentType === 'audio/wave') return 'wav'
  if (contentType === 'audio/ogg') return 'ogg'
  return 'mp3'
}
