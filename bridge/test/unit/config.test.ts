import { generateKeyPairSync } from 'node:crypto'
import { ConfigError, parseConfig } from '../../src/config'

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
const validEnv = {
  PUBLIC_URL: 'https://centralino.example.com',
  API_TOKEN: 'a'.repeat(32),
  ZENDESK_SUBDOMAIN: 'acme',
  ZENDESK_EMAIL: 'ops@acme.example',
  ZENDESK_API_TOKEN: 'zendesk-token',
  VONAGE_APPLICATION_ID: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
  VONAGE_PRIVATE_KEY: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  VONAGE_SIGNATURE_SECRET: 'signature-secret-0123456789',
  DEFAULT_DESTINATION: '+390212345678',
}

function problemsOf(env: Record<string, string>): string[] {
  try {
    parseConfig(env)
  } catch (error) {
    if (error instanceof ConfigError) return error.problems
    throw error
  }
  return []
}

describe('parseConfig', () => {
  it('applies defaults to a minimal valid environment', () => {
    const config = parseConfig(validEnv)
    expect(config.port).toBe(3000)
    expect(config.host).toBe('127.0.0.1')
    expect(config.zendesk.baseUrl).toBe('https://acme.zendesk.com')
    expect(config.zendesk.ticketMode).toBe('reuse_open')
    expect(config.zendesk.reuseWindowDays).toBe(7)
    expect(config.vonage.defaultDestination).toEqual({ type: 'phone', number: '390212345678' })
    expect(config.databaseUrl).toBeUndefined()
  })

  it('names every missing variable in one error', () => {
    const problems = problemsOf({})
    for (const name of ['PUBLIC_URL', 'API_TOKEN', 'ZENDESK_SUBDOMAIN', 'VONAGE_APPLICATION_ID', 'VONAGE_PRIVATE_KEY', 'VONAGE_SIGNATURE_SECRET', 'DEFAULT_DESTINATION']) {
      expect(problems.some((problem) => problem.startsWith(`${name} is missing`))).toBe(true)
    }
    expect(problems).toContain('ZENDESK_EMAIL and ZENDESK_API_TOKEN, or ZENDESK_OAUTH_TOKEN, are missing: set one pair of Zendesk credentials')
  })

  it('names the bad value and the expected form', () => {
    const problems = problemsOf({ ...validEnv, PORT: 'eighty', TICKET_MODE: 'sometimes', DEFAULT_DESTINATION: '12' })
    expect(problems).toContain('PORT="eighty" is invalid: expected an integer port between 0 and 65535')
    expect(problems).toContain('TICKET_MODE="sometimes" is invalid: expected reuse_open or always_new')
    expect(problems.some((problem) => problem.startsWith('DEFAULT_DESTINATION is invalid: "12" is not a valid phone number'))).toBe(true)
  })

  it('reads caller ids by group and brand', () => {
    const config = parseConfig({ ...validEnv, OUTBOUND_CALLER_IDS: '360001234=+390240708090', OUTBOUND_CALLER_IDS_BY_BRAND: '360000111 = 02 4070 8091' })
    expect(config.outbound.callerIdsByGroup.get(360001234)).toBe('+390240708090')
    expect(config.outbound.callerIdsByBrand.get(360000111)).toBe('+390240708091')
    const problems = problemsOf({ ...validEnv, OUTBOUND_CALLER_IDS_BY_BRAND: 'acme=+390240708091' })
    expect(problems).toEqual(['OUTBOUND_CALLER_IDS_BY_BRAND is invalid: entry "acme=+390240708091" must be a Zendesk brand id, "=" and a number'])
  })

  it('never prints a secret value', () => {
    const problems = problemsOf({ ...validEnv, VONAGE_SIGNATURE_SECRET: 'short' })
    expect(problems.join('\n')).not.toContain('short')
    expect(problems[0]).toMatch(/^VONAGE_SIGNATURE_SECRET=\(hidden\) is invalid/)
  })

  it('lists a bad union value once', () => {
    expect(problemsOf({ ...validEnv, LOG_LEVEL: 'verbose' })).toEqual(['LOG_LEVEL="verbose" is invalid: expected one of fatal, error, warn, info, debug, trace, silent'])
  })

  it('rejects placeholders left from .env.example', () => {
    expect(problemsOf({ ...validEnv, API_TOKEN: 'replace-with-a-random-string-of-32-characters' })).toEqual([
      'API_TOKEN still has the placeholder from .env.example: expected a random string of at least 24 characters for the read API',
    ])
  })

  it('names the form of a missing destination', () => {
    const { DEFAULT_DESTINATION: _unused, ...withoutDestination } = validEnv
    expect(problemsOf(withoutDestination)).toEqual([
      'DEFAULT_DESTINATION is missing: expected an E.164 number such as +390299887766 or a SIP URI such as sip:desk@pbx.example.com',
    ])
  })

  it('requires the app id for Talk Partner Edition', () => {
    expect(problemsOf({ ...validEnv, ZENDESK_TALK_PARTNER_EDITION: 'true' })).toEqual([
      "ZAF_APP_ID is missing: Talk Partner Edition calls need the Zendesk app's numeric id",
    ])
  })

  it('reads number languages and SIP destinations', () => {
    const config = parseConfig({ ...validEnv, VONAGE_NUMBERS: '+390212345678=it, 16105553939=en', DEFAULT_DESTINATION: 'sip:desk@pbx.example.com' })
    expect(config.vonage.numberLanguages.get('+390212345678')).toBe('it')
    expect(config.vonage.numberLanguages.get('+16105553939')).toBe('en')
    expect(config.vonage.defaultDestination).toEqual({ type: 'sip', uri: 'sip:desk@pbx.example.com' })
  })

  it('rejects a private key that is neither PEM nor a file', () => {
    expect(problemsOf({ ...validEnv, VONAGE_PRIVATE_KEY: './missing.key' })[0]).toMatch(/^VONAGE_PRIVATE_KEY is invalid: file .*missing\.key not found/)
  })
})
