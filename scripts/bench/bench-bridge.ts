/**
 * Starts a Centralino bridge inside this process for the benchmarks, on 127.0.0.1 with
 * throw-away keys and a temporary data folder, and removes what it created on close.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'

import { startBridge, type Bridge } from '../../bridge/src/bridge'
import { parseConfig, type Config } from '../../bridge/src/config'
import { openDatabase } from '../../bridge/src/db/database'
import { createLogger } from '../../bridge/src/logger'
import { registerCleanup } from './cleanup'

export const SIGNATURE_SECRET = 'bench-signature-secret-0123456789'
export const APPLICATION_ID = 'bbbbbbbb-0000-4000-8000-000000000001'
export const VONAGE_API_KEY = 'bench123'
export const ZENDESK_EMAIL = 'bench@centralino.test'
export const ZENDESK_API_TOKEN = 'bench-zendesk-api-token'
/** The Vonage number that benchmark calls dial. VONAGE_NUMBERS maps it to Italian prompts. */
export const CALLED_NUMBER = '390240708090'

const keys = generateKeyPairSync('rsa', { modulusLength: 2048 })
export const PRIVATE_KEY_PEM = keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()
export const PUBLIC_KEY_PEM = keys.publicKey.export({ type: 'spki', format: 'pem' }).toString()

/** Port 9 of 127.0.0.1, where nothing normally listens, so a request that should never happen fails without leaving this machine. */
const UNUSED_LOOPBACK_URL = 'http://127.0.0.1:9'

/**
 * Builds a configuration whose every outside address is on 127.0.0.1. `env` overrides the
 * defaults, such as ZENDESK_URL and VONAGE_RECORDING_HOSTS for the recording benchmark.
 */
export function benchConfig(dataDir: string, env: Record<string, string> = {}): Config {
  return parseConfig({
    PUBLIC_URL: 'https://bridge.example.test',
    API_TOKEN: randomBytes(18).toString('hex'),
    ZENDESK_SUBDOMAIN: 'bench',
    ZENDESK_URL: UNUSED_LOOPBACK_URL,
    ZENDESK_EMAIL,
    ZENDESK_API_TOKEN,
    ZENDESK_LOCALE: 'it',
    ZENDESK_TIME_ZONE: 'Europe/Rome',
    VONAGE_APPLICATION_ID: APPLICATION_ID,
    VONAGE_PRIVATE_KEY: PRIVATE_KEY_PEM,
    VONAGE_SIGNATURE_SECRET: SIGNATURE_SECRET,
    VONAGE_API_URL: UNUSED_LOOPBACK_URL,
    VONAGE_RECORDING_HOSTS: UNUSED_LOOPBACK_URL,
    VONAGE_NUMBERS: `+${CALLED_NUMBER}=it`,
    DEFAULT_DESTINATION: '+390299887766',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'info',
    ...env,
  })
}

/**
 * Receives the bridge's log lines and counts warnings. Lines at info level and below are dropped after pino has
 * formatted them, so the bridge pays for its usual logging but nothing is written. Warnings
 * and errors go to stderr, the first MAX_PRINTED_WARNINGS of them only.
 */
export class LogSink {
  static readonly MAX_PRINTED_WARNINGS = 5
  warnings = 0

  write(line: string): void {
    if (/^\{"level":(10|20|30),/.test(line)) return
    this.warnings += 1
    if (this.warnings <= LogSink.MAX_PRINTED_WARNINGS) process.stderr.write(`bridge: ${line}`)
  }
}

export interface BenchBridge {
  bridge: Bridge
  /** Base URL of the listening bridge, such as http://127.0.0.1:40123. */
  url: string
  logs: LogSink
  /** Stops the bridge, drops its PostgreSQL schemas and removes its data folder. */
  close(): Promise<void>
}

export interface BenchBridgeOptions {
  /** PostgreSQL URL; without one the bridge uses the embedded PGlite database. */
  databaseUrl?: string
}

/** Starts a bridge without job workers, so webhooks are stored and their jobs only enqueued. */
export async function startBenchBridge(options: BenchBridgeOptions = {}): Promise<BenchBridge> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'centralino-bench-'))
  const schema = options.databaseUrl ? `bench_${randomBytes(6).toString('hex')}` : undefined
  const logs = new LogSink()
  let bridge: Bridge | undefined
  try {
    const config = benchConfig(dataDir, options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : {})
    bridge = await startBridge(config, { log: createLogger('info', logs), schema, workers: false })
    await bridge.app.listen({ port: 0, host: '127.0.0.1' })
  } catch (error) {
    await bridge?.close().catch(() => undefined)
    await removeStorage(dataDir, options.databaseUrl, schema)
    throw error
  }
  const { port } = bridge.app.server.address() as AddressInfo
  const started = bridge
  const close = registerCleanup(async () => {
    try {
      await started.close()
    } finally {
      await removeStorage(dataDir, options.databaseUrl, schema)
    }
  })
  return { bridge: started, url: `http://127.0.0.1:${port}`, logs, close }
}

async function removeStorage(dataDir: string, databaseUrl: string | undefined, schema: string | undefined): Promise<void> {
  try {
    if (databaseUrl && schema) {
      const db = await openDatabase({ databaseUrl, dataDir })
      try {
        await db.exec(`DROP SCHEMA IF EXISTS "${schema}" CASCADE; DROP SCHEMA IF EXISTS "${schema}_jobs" CASCADE`)
      } finally {
        await db.close()
      }
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true })
  }
}

/** Outcome of a PostgreSQL probe: the server's version, or the reason no connection was made. */
export type PostgresProbe = { ok: true; version: string } | { ok: false; reason: string }

/** Connects once and reads the server version, giving up after `timeoutMs`. */
export async function probePostgres(databaseUrl: string, timeoutMs = 5000): Promise<PostgresProbe> {
  const attempt = (async () => {
    const db = await openDatabase({ databaseUrl, dataDir: tmpdir() })
    try {
      const result = await db.query<{ server_version: string }>('SHOW server_version')
      return { ok: true as const, version: result.rows[0].server_version }
    } finally {
      await db.close()
    }
  })()
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<PostgresProbe>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, reason: `no connection within ${timeoutMs} ms` }), timeoutMs)
  })
  try {
    return await Promise.race([attempt.catch((error: unknown) => ({ ok: false as const, reason: (error as Error).message })), timeout])
  } finally {
    clearTimeout(timer)
  }
}

/** Returns the URL with its password replaced by `***`, for printing. */
export function redactPassword(databaseUrl: string): string {
  try {
    const url = new URL(databaseUrl)
    if (url.password !== '') url.password = '***'
    return url.toString()
  } catch {
    return '(unparsable URL)'
  }
}
