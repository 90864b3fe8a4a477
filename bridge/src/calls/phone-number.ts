import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max'

/** A caller's number in E.164, or the reason there is none (withheld, anonymous or unparseable). */
export type CallerNumber =
  | { kind: 'number'; e164: string; international: string }
  | { kind: 'withheld'; raw: string }

const WITHHELD_WORDS = new Set(['', 'unknown', 'anonymous', 'private', 'withheld', 'restricted', 'unavailable', 'null'])

/**
 * Normalises a number as Vonage sends it (E.164 digits without "+") or as a person types it.
 * Digits without "+" are read as international first, then as a national number of
 * `defaultCountry`, so "390212345678" and "02 1234 5678" both give +390212345678
 * (Italian numbers keep their leading zero).
 */
export function normalizeCaller(raw: string | undefined | null, defaultCountry: string): CallerNumber {
  const text = (raw ?? '').trim()
  if (WITHHELD_WORDS.has(text.toLowerCase())) return { kind: 'withheld', raw: text }
  const parsed = parseE164(text, defaultCountry)
  if (parsed === undefined) return { kind: 'withheld', raw: text }
  return parsed
}

/** Parses a number that must be valid, for settings; throws a message naming the value. */
export function parseRequiredNumber(raw: string, defaultCountry: string): string {
  const parsed = parseE164(raw.trim(), defaultCountry)
  if (parsed === undefined || parsed.kind !== 'number') {
    throw new Error(`"${raw}" is not a valid phone number: write it in E.164, such as +390212345678`)
  }
  return parsed.e164
}

function parseE164(text: string, defaultCountry: string): CallerNumber | undefined {
  if (!/^[+\d][\d\s().-]*$/.test(text)) return undefined
  const digits = text.replace(/[^\d+]/g, '')
  const candidates = digits.startsWith('+') ? [digits] : [`+${digits}`, digits]
  const parsed = candidates.map((candidate) => parsePhoneNumberFromString(candidate, defaultCountry as CountryCode))
  // A valid number wins; a merely possible one (a range newer than the metadata) still
  // beats calling a real caller "withheld".
  const number = parsed.find((item) => item?.isValid()) ?? parsed.find((item) => item?.isPossible())
  if (number === undefined) return undefined
  return { kind: 'number', e164: number.number, international: number.formatInternational() }
}

/** Vonage wants E.164 digits without the "+". */
export function toVonageNumber(e164: string): string {
  return e164.replace(/^\+/, '')
}
