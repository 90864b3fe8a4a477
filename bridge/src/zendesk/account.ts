import type { Logger } from 'pino'
import type { Config } from '../config'
import { languageFromLocale, type Language } from '../i18n/language'
import { isTimeZone } from '../time-zone'
import type { ZendeskClient } from './client'
import type { ZendeskUser } from './types'

export interface AccountSettings {
  language: Language
  timeZone: string
}

/**
 * The language and time zone of the texts written into Zendesk. Settings win; otherwise
 * they come from the API user's profile (usually the admin who set up the account),
 * read once and kept for the life of the process.
 */
export class AccountSettingsCache {
  private cached?: Promise<AccountSettings>

  constructor(
    private readonly config: Config['zendesk'],
    private readonly client: ZendeskClient,
    private readonly log: Logger,
  ) {}

  get(): Promise<AccountSettings> {
    if (this.config.locale !== undefined && this.config.timeZone !== undefined) {
      return Promise.resolve({ language: this.config.locale, timeZone: this.config.timeZone })
    }
    this.cached ??= this.load().catch((error) => {
      this.cached = undefined
      throw error
    })
    return this.cached
  }

  private async load(): Promise<AccountSettings> {
    const { user } = await this.client.request<{ user: ZendeskUser }>('GET', '/api/v2/users/me.json')
    const settings = {
      language: this.config.locale ?? languageFromLocale(user.locale),
      timeZone: this.config.timeZone ?? validZone(user.iana_time_zone) ?? 'UTC',
    }
    this.log.info(settings, 'Zendesk texts language and time zone')
    return settings
  }
}

function validZone(zone: string | undefined): string | undefined {
  return zone && isTimeZone(zone) ? zone : undefined
}
