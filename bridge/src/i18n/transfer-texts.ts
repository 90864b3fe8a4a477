import type { Language } from './language'

/**
 * Texts of transfers and consultations: what a consulted agent hears when they answer, and
 * the lines the call log on the ticket gets. `{...}` marks a value filled in.
 */
export const TRANSFER_TEXTS: Record<Language, { consultWhisper: string; logLine: Record<'cold' | 'warm' | 'conference', string>; targetType: Record<string, string> }> = {
  it: {
    consultWhisper: '{agent} ti chiede una consulenza su una chiamata di {caller}.',
    logLine: {
      cold: 'Trasferita a {target} ({type}) da {agent}, senza consulenza.',
      warm: 'Trasferita a {target} ({type}) da {agent}, dopo una consulenza.',
      conference: 'Conferenza a tre di {agent} con {target} ({type}).',
    },
    targetType: { agent: 'operatore', queue: 'coda', number: 'numero' },
  },
  en: {
    consultWhisper: '{agent} asks you about a call from {caller}.',
    logLine: {
      cold: 'Transferred to {target} ({type}) by {agent}, without a consultation.',
      warm: 'Transferred to {target} ({type}) by {agent}, after a consultation.',
      conference: 'Three-way conference of {agent} with {target} ({type}).',
    },
    targetType: { agent: 'agent', queue: 'queue', number: 'number' },
  },
}
