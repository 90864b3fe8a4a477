import { normalizeCaller } from '../../src/calls/phone-number'

describe('normalizeCaller', () => {
  const numbers: Array<[string, string | undefined, string]> = [
    ['Vonage Italian landline', '390212345678', '+390212345678'],
    ['Vonage Italian mobile', '393471234567', '+393471234567'],
    ['Italian national with leading zero', '02 1234 5678', '+390212345678'],
    ['Rome landline national', '06 6982 1234', '+390669821234'],
    ['Italian with plus and spaces', '+39 02 1234 5678', '+390212345678'],
    ['US number from Vonage', '14845552121', '+14845552121'],
    ['US number formatted', '+1 (415) 555-2671', '+14155552671'],
    ['UK number from Vonage', '442071838750', '+442071838750'],
  ]
  it.each(numbers)('normalises %s', (_name, raw, expected) => {
    const result = normalizeCaller(raw, 'IT')
    expect(result.kind).toBe('number')
    expect(result.kind === 'number' && result.e164).toBe(expected)
  })

  const withheld = ['', 'Unknown', 'anonymous', 'PRIVATE', 'withheld', 'abc', '12', undefined, null]
  it.each(withheld)('treats %p as withheld', (raw) => {
    expect(normalizeCaller(raw, 'IT').kind).toBe('withheld')
  })

  it('formats an Italian number for people', () => {
    const result = normalizeCaller('390212345678', 'IT')
    expect(result.kind === 'number' && result.international).toBe('+39 02 1234 5678')
  })
})
