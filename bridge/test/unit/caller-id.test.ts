import { pickCallerId } from '../../src/outbound/outbound-call'

const outbound = {
  allowedCountries: ['IT'],
  defaultCallerId: '+390240708090',
  callerIdsByGroup: new Map([[360001234, '+390240708091']]),
  callerIdsByBrand: new Map([[360000111, '+390240708092']]),
}

describe('pickCallerId', () => {
  it('prefers the group over the brand', () => {
    expect(pickCallerId(outbound, 360001234, 360000111)).toBe('+390240708091')
  })

  it('uses the brand when the group has none', () => {
    expect(pickCallerId(outbound, 999, 360000111)).toBe('+390240708092')
    expect(pickCallerId(outbound, null, 360000111)).toBe('+390240708092')
  })

  it('falls back to the default caller id', () => {
    expect(pickCallerId(outbound, 999, 888)).toBe('+390240708090')
    expect(pickCallerId(outbound, undefined, undefined)).toBe('+390240708090')
  })
})
