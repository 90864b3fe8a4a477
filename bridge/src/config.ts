import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { Type, type Static } from '@sinclair/typebox'
import Ajv from 'ajv'
import addFormats from 'ajv-formats'
import dotenv from 'dotenv'
import { parseDestination, type Destination } from './vonage/destination'
import { parseRecordingHosts, type RecordingHostRule } from './vonage/recording-hosts'
import { parseNumberLanguages, type Language } from './i18n/language'
import { parseRequiredNumber } from './calls/phone-number'
import { isTimeZone } from './time-zone'
import { readAppPublicKey, type AppSettings } from './app-api/app-settings'

const Bool = Type.Union([Type.Literal('true'), Type.Literal('false')], { default: 'false' })

/** The environment variables the bridge reads, with defaults and the form each must take. */
const EnvSchema = Type.Object({
  DATABASE_URL: Type.Optional(Type.String({ pattern: '^postgres(ql)?://' })),
  DATA_DIR: Type.String({ default: './data', minLength: 1 }),
  PORT: Type.Integer({ default: 3000, minimum: 0, maximum: 65535 }),
  HOST: Type.String({ default: '127.0.0.1', minLength: 1 }),
  PUBLIC_URL: Type.String({ format: 'uri', pattern: '^https?://' }),
  LOG_LEVEL: Type.Union(
    ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((level) => Type.Literal(level)),
    { default: 'info' },
  ),
  API_TOKEN: Type.String({ minLength: 24 }),

  ZENDESK_SUBDOMAIN: Type.String({ pattern: '^[a-z0-9][a-z0-9-]*$' }),
  ZENDESK_URL: Type.Optional(Type.String({ format: 'uri', pattern: '^https?://' })),
  ZENDESK_EMAIL: Type.Optional(Type.String({ format: 'email' })),
  ZENDESK_API_TOKEN: Type.Optional(Type.String({ minLength: 1 })),
  ZENDESK_OAUTH_TOKEN: Type.Optional(Type.String({ minLength: 1 })),
  ZENDESK_TALK_PARTNER_EDITION: Bool,
  ZAF_APP_ID: Type.Optional(Type.Integer({ minimum: 1 })),
  ZENDESK_LOCALE: Type.Optional(Type.Union([Type.Literal('it'), Type.Literal('en')])),
  ZENDESK_TIME_ZONE: Type.Optional(Type.String({ minLength: 1 })),
  TICKET_MODE: Type.Union([Type.Literal('reuse_open'), Type.Literal('always_new')], { default: 'reuse_open' }),
  TICKET_REUSE_WINDOW_DAYS: Type.Number({ default: 7, minimum: 0 }),

  VONAGE_APPLICATION_ID: Type.String({ minLength: 1 }),
  VONAGE_PRIVATE_KEY: Type.String({ minLength: 1 }),
  VONAGE_SIGNATURE_SECRET: Type.String({ minLength: 16 }),
  VONAGE_API_URL: Type.String({ default: 'https://api.nexmo.com', format: 'uri', pattern: '^https?://' }),
  VONAGE_RECORDING_HOSTS: Type.String({ default: 'api.nexmo.com,*.nexmo.com,*.vonage.com' }),
  VONAGE_SIGNATURE_MAX_AGE_SECONDS: Type.Integer({ default: 300, minimum: 30, maximum: 3600 }),
  VONAGE_NUMBERS: Type.String({ default: '' }),
  DEFAULT_LANGUAGE: Type.Union([Type.Literal('it'), Type.Literal('en')], { default: 'it' }),
  DEFAULT_COUNTRY: Type.String({ default: 'IT', pattern: '^[A-Z]{2}$' }),
  DEFAULT_DESTINATION: Type.String({ minLength: 1 }),
  CONNECT_TIMEOUT_SECONDS: Type.Integer({ default: 25, minimum: 5, maximum: 120 }),

  RECORDING_MAX_BYTES: Type.Integer({ default: 50 * 1024 * 1024, minimum: 1024 }),
  CALL_LOG_DELAY_SECONDS: Type.Number({ default: 5, minimum: 0, maximum: 600 }),
  JOB_POLL_SECONDS: Type.Number({ default: 1, minimum: 0.5, maximum: 60 }),
  JOB_RETRY_DELAY_SECONDS: Type.Integer({ default: 20, minimum: 1, maximum: 3600 }),
  // Vonage ends a call after 7,200 s unless the NCCO sets another limit, so a call still
  // open after that lost its completed webhook.
  RECONCILE_AFTER_SECONDS: Type.Integer({ default: 7500, minimum: 1 }),
  ACD_INTERVAL_MS: Type.Integer({ default: 1000, minimum: 100, maximum: 60000 }),
  MAX_MISSED_OFFERS: Type.Integer({ default: 3, minimum: 1, maximum: 100 }),
  OUTBOUND_ALLOWED_COUNTRIES: Type.String({ default: 'IT', pattern: '^[A-Z]{2}(,[A-Z]{2})*$' }),
  OUTBOUND_CALLER_ID: Type.Optional(Type.String({ minLength: 1 })),
  OUTBOUND_CALLER_IDS: Type.String({ default: '' }),
  OUTBOUND_CALLER_IDS_BY_BRAND: Type.String({ default: '' }),
  HOLD_MUSIC_URL: Type.Optional(Type.String({ pattern: '^https://[^\\s]+$', maxLength: 2000 })),

  APP_SESSION_SECRET: Type.Optional(Type.String({ minLength: 32 })),
  APP_PUBLIC_KEY: Type.Optional(Type.String({ minLength: 1 })),
  APP_INSTALLATION_ID: Type.Optional(Type.Integer({ minimum: 1 })),
  APP_LEAD_ROLE_IDS: Type.String({ default: '', pattern: '^(\\d+(,\\d+)*)?$' }),
  APP_SESSION_TTL_SECONDS: Type.Integer({ default: 900, minimum: 60, maximum: 3600 }),
  APP_RECORDING_LINK_SECONDS: Type.Integer({ default: 300, minimum: 30, maximum: 3600 }),
  APP_DIST_DIR: Type.Optional(Type.String({ minLength: 1 })),
})

type Env = Static<typeof EnvSchema>

/** Validated settings; the only place in the bridge that reads `process.env`. */
export interface Config {
  databaseUrl?: string
  dataDir: string
  port: number
  host: string
  publicUrl: string
  logLevel: string
  apiToken: string
  zendesk: {
    baseUrl: string
    auth: { kind: 'token'; email: string; token: string } | { kind: 'oauth'; token: string }
    talkPartnerEdition: boolean
    appId?: number
    locale?: Language
    timeZone?: string
    ticketMode: 'reuse_open' | 'always_new'
    reuseWindowDays: number
  }
  vonage: {
    applicationId: string
    privateKey: string
    signatureSecret: string
    apiUrl: string
    recordingHosts: RecordingHostRule[]
    signatureMaxAgeSeconds: number
    numberLanguages: Map<string, Language>
    defaultLanguage: Language
    defaultCountry: string
    defaultDestination: Destination
    connectTimeoutSeconds: number
  }
  recordingMaxBytes: number
  callLogDelaySeconds: number
  jobPollSeconds: number
  jobRetryDelaySeconds: number
  reconcileAfterSeconds: number
  acdIntervalMs: number
  maxMissedOffers: number
  app: AppSettings
  outbound: {
    allowedCountries: string[]
    /** E.164 caller id of click-to-call, unless the ticket's group or brand has its own. */
    defaultCallerId?: string
    callerIdsByGroup: Map<number, string>
    callerIdsByBrand: Map<number, string>
  }
  /** Audio a customer on hold hears when their queue sets no hold music (https only, since Vonage fetches it). */
  holdMusicUrl?: string
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`)
    this.name = 'ConfigError'
  }
}

/** Reads `.env` (when present) and the environment, and returns the validated configuration. */
export function loadConfig(source: NodeJS.ProcessEnv = process.env, envFile = path.resolve('.env')): Config {
  const found = existsSync(envFile)
  const fromFile = found ? dotenv.parse(readFileSync(envFile)) : {}
  try {
    return parseConfig({ ...fromFile, ...source })
  } catch (error) {
    if (error instanceof ConfigError) {
      error.message += found ? `\n(read ${envFile} and the environment)` : `\n(no ${envFile} found; read the environment only)`
    }
    throw error
  }
}

/**
 * Validates raw variables and throws one ConfigError that names every bad variable
 * and the form it expects, so ops fix them all in one pass.
 */
export function parseConfig(raw: Record<string, string | undefined>): Config {
  const env = pickKnown(raw)
  const ajv = new Ajv({ allErrors: true, coerceTypes: true, useDefaults: true })
  addFormats(ajv)
  const validate = ajv.compile(EnvSchema)
  const problems: string[] = []
  if (!validate(env)) {
    // A union such as LOG_LEVEL yields one schema error per member; one line per variable is enough.
    for (const error of validate.errors ?? []) {
      const problem = describeSchemaError(error, raw)
      if (!problems.includes(problem)) problems.push(problem)
    }
  }
  for (const [name, value] of Object.entries(env)) {
    if (typeof value === 'string' && PLACEHOLDER.test(value)) problems.push(`${name} still has the placeholder from .env.example: ${describeExpected(name)}`)
  }
  const valid = env as Env
  const extra = checkCombinations(valid, problems)
  if (problems.length > 0) throw new ConfigError(problems)
  return buildConfig(valid, extra)
}

/** Known variables with surrounding spaces removed; empty values count as unset. */
function pickKnown(raw: Record<string, string | undefined>): Record<string, unknown> {
  const env: Record<string, unknown> = {}
  for (const key of Object.keys(EnvSchema.properties)) {
    const value = raw[key]?.trim()
    if (value !== undefined && value !== '') env[key] = value
  }
  return env
}

/** Values copied from .env.example without being filled in. */
const PLACEHOLDER = /^replace-with/i

function describeSchemaError(
  error: { instancePath: string; message?: string; params: Record<string, unknown> },
  raw: Record<string, string | undefined>,
): string {
  if (error.params.missingProperty) {
    const name = String(error.params.missingProperty)
    return `${name} is missing: ${describeExpected(name)}`
  }
  const name = error.instancePath.replace(/^\//, '').split('/')[0]
  const shown = isSecret(name) ? '(hidden)' : JSON.stringify(raw[name])
  return `${name}=${shown} is invalid: ${describeExpected(name)}`
}

const SECRET_NAMES = /TOKEN|SECRET|PRIVATE_KEY|DATABASE_URL/

function isSecret(name: string): boolean {
  return SECRET_NAMES.test(name)
}

function describeExpected(name: string): string {
  const expected: Record<string, string> = {
    DATABASE_URL: 'expected a postgres:// URL, or leave it unset for the embedded database',
    PORT: 'expected an integer port between 0 and 65535',
    PUBLIC_URL: "expected the bridge's public base URL, such as https://centralino.example.com",
    LOG_LEVEL: 'expected one of fatal, error, warn, info, debug, trace, silent',
    API_TOKEN: 'expected a random string of at least 24 characters for the read API',
    ZENDESK_SUBDOMAIN: 'expected the account subdomain, such as "acme" for acme.zendesk.com',
    ZENDESK_URL: 'expected an http(s) base URL',
    ZENDESK_EMAIL: 'expected the email of the Zendesk user that owns the API token',
    ZENDESK_TALK_PARTNER_EDITION: 'expected true or false',
    ZAF_APP_ID: "expected the Zendesk app's numeric id",
    VONAGE_APPLICATION_ID: 'expected the id of the Vonage Voice application (Dashboard, Applications)',
    VONAGE_PRIVATE_KEY: "expected the application's private key: PEM text or the path of the PEM file",
    DEFAULT_DESTINATION: 'expected an E.164 number such as +390299887766 or a SIP URI such as sip:desk@pbx.example.com',
    VONAGE_RECORDING_HOSTS: 'expected a comma-separated list such as api.nexmo.com,*.vonage.com',
    ZENDESK_LOCALE: 'expected it or en',
    TICKET_MODE: 'expected reuse_open or always_new',
    TICKET_REUSE_WINDOW_DAYS: 'expected a number of days, 0 or more',
    VONAGE_SIGNATURE_SECRET: 'expected the Vonage account signature secret (at least 16 characters)',
    VONAGE_API_URL: 'expected an http(s) base URL',
    VONAGE_SIGNATURE_MAX_AGE_SECONDS: 'expected seconds between 30 and 3600',
    DEFAULT_LANGUAGE: 'expected it or en',
    DEFAULT_COUNTRY: 'expected an ISO 3166 alpha-2 code such as IT',
    CONNECT_TIMEOUT_SECONDS: 'expected seconds between 5 and 120',
    RECORDING_MAX_BYTES: 'expected a size in bytes, at least 1024',
    CALL_LOG_DELAY_SECONDS: 'expected seconds between 0 and 600',
    JOB_POLL_SECONDS: 'expected seconds between 0.5 and 60',
    JOB_RETRY_DELAY_SECONDS: 'expected whole seconds between 1 and 3600',
    RECONCILE_AFTER_SECONDS: 'expected whole seconds, at least 1',
    ACD_INTERVAL_MS: 'expected milliseconds between 100 and 60000',
    MAX_MISSED_OFFERS: 'expected a count between 1 and 100',
    OUTBOUND_ALLOWED_COUNTRIES: 'expected ISO 3166 alpha-2 codes separated by commas, such as IT,SM,CH',
    APP_SESSION_SECRET: 'expected a random string of at least 32 characters that signs the Zendesk app sessions',
    APP_INSTALLATION_ID: "expected the numeric id of the app's installation in Zendesk",
    APP_LEAD_ROLE_IDS: 'expected Zendesk custom role ids separated by commas, such as 360001,360002',
    APP_SESSION_TTL_SECONDS: 'expected seconds between 60 and 3600',
    APP_RECORDING_LINK_SECONDS: 'expected seconds between 30 and 3600',
    HOLD_MUSIC_URL: 'expected an https:// URL of an MP3 or WAV file that Vonage can fetch, played to customers on hold',
  }
  return expected[name] ?? 'expected a non-empty value'
}

interface DerivedSettings {
  privateKey: string
  recordingHosts: RecordingHostRule[]
  numberLanguages: Map<string, Language>
  defaultDestination: Destination
  appPublicKey?: string
  defaultCallerId?: string
  callerIdsByGroup: Map<number, string>
  callerIdsByBrand: Map<number, string>
}

function checkCombinations(env: Env, problems: string[]): DerivedSettings {
  const derived: DerivedSettings = {
    privateKey: '',
    recordingHosts: [],
    numberLanguages: new Map(),
    defaultDestination: { type: 'phone', number: '' },
    callerIdsByGroup: new Map(),
    callerIdsByBrand: new Map(),
  }
  const hasToken = env.ZENDESK_EMAIL !== undefined && env.ZENDESK_API_TOKEN !== undefined
  if (!hasToken && env.ZENDESK_OAUTH_TOKEN === undefined) {
    problems.push(
      'ZENDESK_EMAIL and ZENDESK_API_TOKEN, or ZENDESK_OAUTH_TOKEN, are missing: set one pair of Zendesk credentials',
    )
  }
  if (env.APP_SESSION_SECRET !== undefined && env.ZAF_APP_ID === undefined && env.APP_PUBLIC_KEY === undefined) {
    problems.push("ZAF_APP_ID is missing: the Zendesk app's sessions need ZAF_APP_ID (its public key is fetched from Zendesk) or APP_PUBLIC_KEY")
  }
  if (env.APP_PUBLIC_KEY !== undefined) collect(problems, () => (derived.appPublicKey = readAppPublicKey(env.APP_PUBLIC_KEY as string)), 'APP_PUBLIC_KEY')
  if (env.ZENDESK_TALK_PARTNER_EDITION === 'true' && env.ZAF_APP_ID === undefined) {
    problems.push("ZAF_APP_ID is missing: Talk Partner Edition calls need the Zendesk app's numeric id")
  }
  if (env.ZENDESK_TIME_ZONE !== undefined && !isTimeZone(env.ZENDESK_TIME_ZONE)) {
    problems.push(`ZENDESK_TIME_ZONE=${JSON.stringify(env.ZENDESK_TIME_ZONE)} is invalid: expected an IANA time zone such as Europe/Rome`)
  }
  if (env.VONAGE_PRIVATE_KEY !== undefined) {
    try {
      derived.privateKey = readPrivateKey(env.VONAGE_PRIVATE_KEY)
    } catch (error) {
      problems.push(`VONAGE_PRIVATE_KEY is invalid: ${(error as Error).message}`)
    }
  }
  collect(problems, () => (derived.recordingHosts = parseRecordingHosts(env.VONAGE_RECORDING_HOSTS ?? '')), 'VONAGE_RECORDING_HOSTS')
  collect(problems, () => (derived.numberLanguages = parseNumberLanguages(env.VONAGE_NUMBERS ?? '', env.DEFAULT_COUNTRY ?? 'IT')), 'VONAGE_NUMBERS')
  if (env.OUTBOUND_CALLER_ID !== undefined) {
    collect(problems, () => (derived.defaultCallerId = parseRequiredNumber(env.OUTBOUND_CALLER_ID as string, env.DEFAULT_COUNTRY ?? 'IT')), 'OUTBOUND_CALLER_ID')
  }
  collect(problems, () => (derived.callerIdsByGroup = parseCallerIds(env.OUTBOUND_CALLER_IDS ?? '', 'group', env.DEFAULT_COUNTRY ?? 'IT')), 'OUTBOUND_CALLER_IDS')
  collect(
    problems,
    () => (derived.callerIdsByBrand = parseCallerIds(env.OUTBOUND_CALLER_IDS_BY_BRAND ?? '', 'brand', env.DEFAULT_COUNTRY ?? 'IT')),
    'OUTBOUND_CALLER_IDS_BY_BRAND',
  )
  if (env.DEFAULT_DESTINATION !== undefined) {
    collect(problems, () => (derived.defaultDestination = parseDestination(env.DEFAULT_DESTINATION, env.DEFAULT_COUNTRY ?? 'IT')), 'DEFAULT_DESTINATION')
  }
  return derived
}

/** Parses OUTBOUND_CALLER_IDS or OUTBOUND_CALLER_IDS_BY_BRAND: "Zendesk id=number" pairs such as "360001234=+390240708090". */
function parseCallerIds(value: string, kind: 'group' | 'brand', defaultCountry: string): Map<number, string> {
  const ids = new Map<number, string>()
  for (const entry of value.split(',').map((part) => part.trim()).filter(Boolean)) {
    const [id, number] = entry.split('=').map((part) => part.trim())
    if (!/^\d+$/.test(id ?? '') || !number) throw new Error(`entry "${entry}" must be a Zendesk ${kind} id, "=" and a number`)
    ids.set(Number(id), parseRequiredNumber(number, defaultCountry))
  }
  return ids
}

function collect(problems: string[], step: () => unknown, name: string): void {
  try {
    step()
  } catch (error) {
    problems.push(`${name} is invalid: ${(error as Error).message}`)
  }
}

/** Accepts the PEM text itself (with real or escaped newlines) or the path of a PEM file. */
function readPrivateKey(value: string): string {
  const pem = value.includes('-----BEGIN') ? value.replace(/\\n/g, '\n') : readKeyFile(value)
  if (!/-----BEGIN (RSA )?PRIVATE KEY-----/.test(pem)) {
    throw new Error('expected a PEM private key or the path of a PEM file')
  }
  return pem
}

function readKeyFile(file: string): string {
  const resolved = path.resolve(file)
  if (!existsSync(resolved)) throw new Error(`file ${resolved} not found: expected a PEM private key or its path`)
  return readFileSync(resolved, 'utf8')
}

function buildConfig(env: Env, derived: DerivedSettings): Config {
  const zendeskAuth =
    env.ZENDESK_OAUTH_TOKEN !== undefined
      ? { kind: 'oauth' as const, token: env.ZENDESK_OAUTH_TOKEN }
      : { kind: 'token' as const, email: env.ZENDESK_EMAIL as string, token: env.ZENDESK_API_TOKEN as string }
  return {
    databaseUrl: env.DATABASE_URL,
    dataDir: path.resolve(env.DATA_DIR),
    port: env.PORT,
    host: env.HOST,
    publicUrl: env.PUBLIC_URL.replace(/\/+$/, ''),
    logLevel: env.LOG_LEVEL,
    apiToken: env.API_TOKEN,
    zendesk: {
      baseUrl: (env.ZENDESK_URL ?? `https://${env.ZENDESK_SUBDOMAIN}.zendesk.com`).replace(/\/+$/, ''),
      auth: zendeskAuth,
      talkPartnerEdition: env.ZENDESK_TALK_PARTNER_EDITION === 'true',
      appId: env.ZAF_APP_ID,
      locale: env.ZENDESK_LOCALE,
      timeZone: env.ZENDESK_TIME_ZONE,
      ticketMode: env.TICKET_MODE,
      reuseWindowDays: env.TICKET_REUSE_WINDOW_DAYS,
    },
    vonage: {
      applicationId: env.VONAGE_APPLICATION_ID,
      privateKey: derived.privateKey,
      signatureSecret: env.VONAGE_SIGNATURE_SECRET,
      apiUrl: env.VONAGE_API_URL.replace(/\/+$/, ''),
      recordingHosts: derived.recordingHosts,
      signatureMaxAgeSeconds: env.VONAGE_SIGNATURE_MAX_AGE_SECONDS,
      numberLanguages: derived.numberLanguages,
      defaultLanguage: env.DEFAULT_LANGUAGE,
      defaultCountry: env.DEFAULT_COUNTRY,
      defaultDestination: derived.defaultDestination,
      connectTimeoutSeconds: env.CONNECT_TIMEOUT_SECONDS,
    },
    recordingMaxBytes: env.RECORDING_MAX_BYTES,
    callLogDelaySeconds: env.CALL_LOG_DELAY_SECONDS,
    jobPollSeconds: env.JOB_POLL_SECONDS,
    jobRetryDelaySeconds: env.JOB_RETRY_DELAY_SECONDS,
    reconcileAfterSeconds: env.RECONCILE_AFTER_SECONDS,
    acdIntervalMs: env.ACD_INTERVAL_MS,
    maxMissedOffers: env.MAX_MISSED_OFFERS,
    outbound: {
      allowedCountries: env.OUTBOUND_ALLOWED_COUNTRIES.split(','),
      defaultCallerId: derived.defaultCallerId ?? [...derived.numberLanguages.keys()][0],
      callerIdsByGroup: derived.callerIdsByGroup,
      callerIdsByBrand: derived.callerIdsByBrand,
    },
    holdMusicUrl: env.HOLD_MUSIC_URL,
    app: {
      sessionSecret: env.APP_SESSION_SECRET,
      publicKey: derived.appPublicKey,
      installationId: env.APP_INSTALLATION_ID,
      leadRoleIds: env.APP_LEAD_ROLE_IDS === '' ? [] : env.APP_LEAD_ROLE_IDS.split(',').map(Number),
      sessionTtlSeconds: env.APP_SESSION_TTL_SECONDS,
      recordingLinkSeconds: env.APP_RECORDING_LINK_SECONDS,
      distDir: env.APP_DIST_DIR === undefined ? undefined : path.resolve(env.APP_DIST_DIR),
    },
  }
}
