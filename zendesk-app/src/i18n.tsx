import { createContext, useContext, type ReactNode } from 'react'
import en from '../../translations/en.json'
import it from '../../translations/it.json'

type Tree = { [key: string]: string | Tree }
const CATALOGS: Record<string, Tree> = { en: en.ui, it: it.ui }

export type Translate = (key: string, values?: Record<string, string | number>) => string

export interface I18n {
  locale: 'en' | 'it'
  /** IANA zone of the Zendesk user, for every time the app shows. */
  timeZone: string
  t: Translate
}

/** Picks it for Italian locales (it, it-CH) and English for everything else. */
export function pickLocale(zendeskLocale: string | undefined): 'en' | 'it' {
  return (zendeskLocale ?? '').toLowerCase().startsWith('it') ? 'it' : 'en'
}

/** Looks a dotted key up; a missing key throws, so tests catch it instead of users seeing it. */
export function makeTranslate(locale: 'en' | 'it'): Translate {
  return (key, values = {}) => {
    let node: string | Tree | undefined = CATALOGS[locale]
    for (const part of key.split('.')) node = typeof node === 'object' ? node[part] : undefined
    if (typeof node !== 'string') throw new Error(`missing translation "${key}" for locale ${locale}`)
    return node.replace(/\{\{(\w+)\}\}/g, (_match, name: string) => String(values[name] ?? ''))
  }
}

const I18nContext = createContext<I18n | null>(null)

export function I18nProvider({ value, children }: { value: I18n; children: ReactNode }) {
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>
}

export function useI18n(): I18n {
  const i18n = useContext(I18nContext)
  if (!i18n) throw new Error('useI18n needs an I18nProvider above it')
  return i18n
}
