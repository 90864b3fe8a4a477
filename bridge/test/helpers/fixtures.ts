import { readFileSync } from 'node:fs'
import path from 'node:path'

export interface CapturedRequest {
  method: 'GET' | 'POST'
  /** Query string exactly as captured, without "?". */
  rawQuery: string
  body?: string
  contentType?: string
}

/** Reads one captured Vonage request (request line, headers, blank line, body). */
export function readCapturedRequest(name: string): CapturedRequest {
  const text = readFileSync(path.join(__dirname, '..', 'fixtures', 'vonage-webhooks', name), 'utf8').replace(/\r\n/g, '\n')
  const [head, ...rest] = text.split('\n\n')
  const [requestLine, ...headerLines] = head.split('\n')
  const [method, target] = requestLine.split(' ')
  const contentType = headerLines.find((line) => line.toLowerCase().startsWith('content-type:'))?.split(':')[1].trim()
  const body = rest.join('\n\n').trim()
  const queryIndex = target.indexOf('?')
  return {
    method: method as 'GET' | 'POST',
    rawQuery: queryIndex === -1 ? '' : target.slice(queryIndex + 1),
    body: method === 'POST' ? body : undefined,
    contentType,
  }
}
