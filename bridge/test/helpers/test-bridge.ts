import { generateKeyPairSync, randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { Writable } from 'node:stream'
import pg from 'pg'
import { startBridge, type Bridge } from '../../src/bridge'
import { parseConfig, type Config } from '../../src/config'
import { createLogger } from '../../src/logger'
import type { Delivery } from '../../../scripts/simulator/scenarios'
import { signVonageWebhook } from '../../../scripts/simulator/sign-webhook'

/** Which store the suite runs on: TEST_DATABASE=postgres or pglite (the default). */
export const TEST_DATABASE = process.env.TEST_DATABASE === 'postgres' ? 'postgres' : 'pglite'
const POSTGRES_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'

export const SIGNATURE_SECRET = 'test-signature-secret-0123456789'
export const API_TOKEN = 'test-api-token-0123456789abcdef'
export const APPLICATION_ID = 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee'
export const ZENDESK_CREDENTIALS = { email: 'ops@acme.example', token: 'zendesk-api-token' }

const keys = generateKeyPairSync('rsa', { modulusLength: 2048 })
export const PRIVATE_KEY_PEM = keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()
export const PUBLIC_KEY_PEM = keys.publicKey.export({ type: 'spki', format: 'pem' }).toString()

export interface TestBridge {
  bridge: Bridge
  config: Config
  /** Everything the bridge logged, one JSON line per entry. */
  logs: string[]
  deliver(delivery: Delivery, options?: SignOptions): Promise<{ status: number; body: string; json: () => any }>
  api(url: string): Promise<{ status: number; json: () => any }>
  /** Stops the bridge; the database stays for a restart unless `drop` is set. */
  stop(): Promise<void>
  /** Starts a new bridge on the same database, as after a crash or a deploy. */
  restart(): Promise<TestBridge>
  /** Stops the bridge and removes its database. */
  close(): Promise<void>
}

export interface SignOptions {
  secret?: string
  iat?: number
  jti?: string
  tamper?: (body: string) => string
  authorization?: string | null
}

export interface TestBridgeOptions {
  env?: Record<string, string>
  workers?: boolean
  clock?: () => Date
}

interface Storage {
  schema?: string
  dataDir: string
  databaseUrl?: string
}

export async function startTestBridge(options: TestBridgeOptions = {}): Promise<TestBridge> {
  const storage: Storage = {
    dataDir: mkdtempSync(path.join(tmpdir(), 'centralino-test-')),
    ...(TEST_DATABASE === 'postgres' ? { databaseUrl: POSTGRES_URL, schema: `t_${randomBytes(6).toString('hex')}` } : {}),
  }
  return launch(storage, options)
}

async function launch(storage: Storage, options: TestBridgeOptions): Promise<TestBridge> {
  const config = parseConfig({
    PUBLIC_URL: 'https://bridge.example.test',
    API_TOKEN,
    ZENDESK_SUBDOMAIN: 'acme',
    ZENDESK_URL: 'https://acme.zendesk.test',
    ZENDESK_EMAIL: ZENDESK_CREDENTIALS.email,
    ZENDESK_API_TOKEN: ZENDESK_CREDENTIALS.token,
    ZENDESK_LOCALE: 'it',
    ZENDESK_TIME_ZONE: 'Europe/Rome',
    VONAGE_APPLICATION_ID: APPLICATION_ID,
    VONAGE_PRIVATE_KEY: PRIVATE_KEY_PEM,
    VONAGE_SIGNATURE_SECRET: SIGNATURE_SECRET,
    VONAGE_NUMBERS: '+390240708090=it,+16105553939=en',
    DEFAULT_DESTINATION: '+390299887766',
    CALL_LOG_DELAY_SECONDS: '0',
    JOB_POLL_SECONDS: '0.5',
    JOB_RETRY_DELAY_SECONDS: '1',
    DATA_DIR: storage.dataDir,
    LOG_LEVEL: 'debug',
    ...(storage.databaseUrl ? { DATABASE_URL: storage.databaseUrl } : {}),
    ...options.env,
  })
  const logs: string[] = []
  const sink = new Writable({
    write(chunk, _encoding, done) {
      logs.push(...chunk.toString().split('\n').filter(Boolean))
      done()
    },
  })
  const bridge = await startBridge(config, { log: createLogger('debug', sink), schema: storage.schema, workers: options.workers, clock: options.clock })
  let stopped = false

  const stop = async () => {
    if (stopped) return
    stopped = true
    await bridge.close()
  }
  return {
    bridge,
    config,
    logs,
    deliver: (delivery, sign) => deliver(bridge, delivery, sign),
    api: async (url) => {
      const response = await bridge.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${API_TOKEN}` } })
      return { status: response.statusCode, json: () => response.json() }
    },
    stop,
    restart: async () => {
      await stop()
      return launch(storage, options)
    },
    close: async () => {
      await stop()
      await dropStorage(storage)
    },
  }
}

async function dropStorage(storage: Storage): Promise<void> {
  if (storage.schema && storage.databaseUrl) {
    const client = new pg.Client({ connectionString: storage.databaseUrl })
    await client.connect()
    await client.query(`DROP SCHEMA IF EXISTS "${storage.schema}" CASCADE; DROP SCHEMA IF EXISTS "${storage.schema}_jobs" CASCADE`)
    await client.end()
  }
  rmSync(storage.dataDir, { recursive: true, force: true })
}

/** Signs a delivery as Vonage would and injects it into the bridge. */
async function deliver(bridge: Bridge, delivery: Delivery, sign: SignOptions = {}) {
  const query = new URLSearchParams(delivery.query ?? {})
  const body = delivery.method === 'POST' ? JSON.stringify(delivery.body ?? {}) : undefined
  const token = signVonageWebhook({
    secret: sign.secret ?? SIGNATURE_SECRET,
    body,
    query: delivery.method === 'GET' ? query : undefined,
    apiKey: 'abcd1234',
    applicationId: APPLICATION_ID,
    iat: sign.iat,
    jti: sign.jti,
  })
  const authorization = sign.authorization === undefined ? `Bearer ${token}` : sign.authorization
  const queryString = query.toString()
  const response = await bridge.app.inject({
    method: delivery.method,
    url: `${delivery.path}${queryString ? `?${queryString}` : ''}`,
    headers: {
      ...(authorization !== null ? { authorization } : {}),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    payload: body !== undefined && sign.tamper ? sign.tamper(body) : body,
  })
  return { status: response.statusCode, body: response.body, json: () => response.json() }
}

/** Polls until `check` returns a value other than undefined, or fails after `timeoutMs`. */
export async function waitFor<T>(description: string, check: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await check()
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${description}`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}
