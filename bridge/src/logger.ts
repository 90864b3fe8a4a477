import pino, { type Logger } from 'pino'

/** Paths pino blanks out wherever they appear: credentials, tokens and signed or token-bearing URLs. */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'authorization',
  '*.authorization',
  'token',
  '*.token',
  '*.apiToken',
  '*.api_token',
  '*.privateKey',
  '*.signatureSecret',
  '*.password',
  'recording_url',
  '*.recording_url',
  '*.upload_token',
  'url',
]

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino({ level, redact: { paths: REDACT_PATHS, censor: '[Redacted]' } }, destination)
}
