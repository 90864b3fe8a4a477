import { parseRecordingHosts, rejectRecordingUrl } from '../../src/vonage/recording-hosts'

describe('recording host allowlist', () => {
  const rules = parseRecordingHosts('api.nexmo.com,*.vonage.com,http://127.0.0.1:4010')

  it.each([
    'https://api.nexmo.com/v1/files/87b8851a-dbfa-4142-bc01-82a7854ac4fd',
    'https://api-us-3.vonage.com/v1/files/87b8851a-dbfa-4142-bc01-82a7854ac4fd',
    'http://127.0.0.1:4010/v1/files/abc-123',
  ])('allows %s', (url) => {
    expect(rejectRecordingUrl(url, rules)).toBeUndefined()
  })

  it.each([
    ['plain http to Vonage', 'http://api.nexmo.com/v1/files/abc', /not in VONAGE_RECORDING_HOSTS/],
    ['a look-alike host', 'https://api.nexmo.com.evil.test/v1/files/abc', /not in VONAGE_RECORDING_HOSTS/],
    ['a suffix without a dot', 'https://evilvonage.com/v1/files/abc', /not in VONAGE_RECORDING_HOSTS/],
    ['another port', 'https://api.nexmo.com:8443/v1/files/abc', /not in VONAGE_RECORDING_HOSTS/],
    ['user credentials', 'https://user:pass@api.nexmo.com/v1/files/abc', /credentials/],
    ['another path', 'https://api.nexmo.com/v1/calls/abc', /path/],
    ['the stand-in on another port', 'http://127.0.0.1:4011/v1/files/abc', /not in VONAGE_RECORDING_HOSTS/],
    ['not a URL', 'not a url', /not a valid URL/],
  ])('rejects %s', (_name, url, reason) => {
    expect(rejectRecordingUrl(url, rules)).toMatch(reason)
  })

  it('rejects an entry that is not a host', () => {
    expect(() => parseRecordingHosts('api.nexmo.com,*')).toThrow('"*" is not a host')
  })
})

describe('recording host entries', () => {
  it('rejects plain http outside loopback', () => {
    expect(() => parseRecordingHosts('http://example.com')).toThrow('"http://example.com" uses plain http on a host that is not this machine: only loopback stand-ins may use http')
  })
})
