import { parseRequiredNumber, toVonageNumber } from '../calls/phone-number'

/** Where the bridge connects a caller: a phone number (E.164 without "+") or a SIP URI. */
export type Destination = { type: 'phone'; number: string } | { type: 'sip'; uri: string }

const SIP_URI = /^sips?:[^@\s]+@[^@\s]+$/i

/** Parses DEFAULT_DESTINATION: an E.164 number or a SIP URI such as sip:desk@pbx.example.com. */
export function parseDestination(value: string, defaultCountry: string): Destination {
  const text = value.trim()
  if (/^sips?:/i.test(text)) {
    if (!SIP_URI.test(text)) throw new Error(`"${value}" is not a SIP URI: write it as sip:user@host`)
    return { type: 'sip', uri: text }
  }
  return { type: 'phone', number: toVonageNumber(parseRequiredNumber(text, defaultCountry)) }
}

/** A label for tickets and logs: "+390212345678" or the SIP URI. */
export function describeDestination(destination: Destination): string {
  return destination.type === 'phone' ? `+${destination.number}` : destination.uri
}
