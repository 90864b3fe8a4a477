import { parseRequiredNumber } from '../calls/phone-number'

/** The languages the bridge speaks to callers and writes into Zendesk. */
export type Language = 'it' | 'en'

export const LANGUAGES: readonly Language[] = ['it', 'en']

/** Maps a Zendesk locale such as "it", "it-CH" or "en-US" to a bridge language (English otherwise). */
export function languageFromLocale(locale: string | undefined): Language {
  return locale?.toLowerCase().startsWith('it') ? 'it' : 'en'
}

/**
 * Parses VONAGE_NUMBERS, a comma-separated list of "number=language" pairs such as
 * "+390212345678=it,+12125550100=en", into a map keyed by E.164 number.
 */
export function parseNumberLanguages(value: string, defaultCountry: string): Map<string, Language> {
  const languages = new Map<string, Language>()
  for (const entry of value.split(',').map((part) => part.trim()).filter(Boolean)) {
    const [number, language] = entry.split('=').map((part) => part.trim())
    if (language !== 'it' && language !== 'en') {
      throw new Error(`entry "${entry}" needs a language: write number=it or number=en`)
    }
    languages.set(parseRequiredNumber(number, defaultCountry), language)
  }
  return languages
}
