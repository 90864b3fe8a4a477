import type { CallOutcome } from '../calls/call-state'
import type { Language } from './language'

/** The facts of one call that the bridge writes into Zendesk. */
export interface CallSummary {
  callId: string
  direction: 'inbound' | 'outbound'
  from: string | null
  to: string | null
  startedAt: Date | null
  durationSeconds: number | null
  talkSeconds: number | null
  agent: string | null
  outcome: CallOutcome
}

const TEXTS = {
  it: {
    withheld: 'numero privato',
    subject: {
      answered: 'Chiamata da {caller}',
      missed: 'Chiamata persa da {caller}',
      voicemail: 'Messaggio vocale da {caller}',
      abandoned: 'Chiamata abbandonata da {caller}',
    },
    outcome: { answered: 'risposta', missed: 'persa', voicemail: 'messaggio vocale', abandoned: 'abbandonata' },
    direction: { inbound: 'in arrivo', outbound: 'in uscita' },
    heading: 'Chiamata {direction}',
    from: 'Da',
    to: 'A',
    start: 'Inizio',
    duration: 'Durata',
    talk: 'Conversazione',
    agent: 'Operatore',
    result: 'Esito',
    reference: 'Rif. Centralino',
    reused: 'Chiamata registrata su questo ticket perché il chiamante ha già un ticket aperto aggiornato negli ultimi {days} giorni.',
    followUp: 'Il ticket #{ticket} è chiuso: la chiamata è registrata su questo ticket di follow-up.',
    recording: 'Registrazione della chiamata ({duration})',
    voicemailRecording: 'Messaggio vocale ({duration})',
    recordingMissing: 'La registrazione non è disponibile: {reason}.',
    recordingProblems: {
      no_url: 'Vonage ha segnalato la registrazione senza indicarne l’indirizzo',
      too_large: 'il file supera il limite configurato di {limit}',
      host_refused: 'l’indirizzo della registrazione non appartiene a un host Vonage consentito',
    },
    unknownDuration: 'durata sconosciuta',
  },
  en: {
    withheld: 'withheld number',
    subject: {
      answered: 'Call from {caller}',
      missed: 'Missed call from {caller}',
      voicemail: 'Voicemail from {caller}',
      abandoned: 'Abandoned call from {caller}',
    },
    outcome: { answered: 'answered', missed: 'missed', voicemail: 'voicemail', abandoned: 'abandoned' },
    direction: { inbound: 'inbound', outbound: 'outbound' },
    heading: '{direction} call',
    from: 'From',
    to: 'To',
    start: 'Start',
    duration: 'Duration',
    talk: 'Talk time',
    agent: 'Agent',
    result: 'Outcome',
    reference: 'Centralino ref.',
    reused: 'Call logged on this ticket because the caller already has an open ticket updated in the last {days} days.',
    followUp: 'Ticket #{ticket} is closed, so the call is logged on this follow-up ticket.',
    recording: 'Call recording ({duration})',
    voicemailRecording: 'Voicemail ({duration})',
    recordingMissing: 'The recording is not available: {reason}.',
    recordingProblems: {
      no_url: 'Vonage reported the recording without its address',
      too_large: 'the file is over the configured limit of {limit}',
      host_refused: 'the recording address is not on an allowed Vonage host',
    },
    unknownDuration: 'unknown duration',
  },
} as const

export type TicketTexts = (typeof TEXTS)['it'] | (typeof TEXTS)['en']

export function ticketTexts(language: Language): TicketTexts {
  return TEXTS[language]
}

export function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (match, key: string) => (key in values ? String(values[key]) : match))
}

export function ticketSubject(summary: CallSummary, language: Language): string {
  const texts = TEXTS[language]
  return fill(texts.subject[summary.outcome], { caller: summary.from ?? texts.withheld })
}

/**
 * The internal note describing a call. Its last line carries the Vonage call id, which is
 * also how the bridge recognises a note it already wrote after a crash.
 */
export function callNote(summary: CallSummary, language: Language, timeZone: string, extra: string[] = []): string {
  const texts: TicketTexts = TEXTS[language]
  const heading = fill(texts.heading, { direction: texts.direction[summary.direction] })
  const lines = [
    heading.charAt(0).toUpperCase() + heading.slice(1),
    `${texts.from}: ${summary.from ?? texts.withheld}`,
    `${texts.to}: ${summary.to ?? '-'}`,
    `${texts.start}: ${summary.startedAt ? formatTime(summary.startedAt, language, timeZone) : '-'}`,
    `${texts.duration}: ${formatDuration(summary.durationSeconds, language)}`,
  ]
  if (summary.talkSeconds !== null) lines.push(`${texts.talk}: ${formatDuration(summary.talkSeconds, language)}`)
  lines.push(`${texts.agent}: ${summary.agent ?? '-'}`, `${texts.result}: ${texts.outcome[summary.outcome]}`)
  return [...extra, ...(extra.length > 0 ? [''] : []), ...lines, '', callReference(summary.callId, language)].join('\n')
}

export function callReference(callId: string, language: Language): string {
  return `${TEXTS[language].reference}: ${callId}`
}

export function formatTime(date: Date, language: Language, timeZone: string): string {
  const formatted = new Intl.DateTimeFormat(language === 'it' ? 'it-IT' : 'en-US', {
    dateStyle: 'medium',
    timeStyle: 'medium',
    timeZone,
  }).format(date)
  return `${formatted} (${timeZone})`
}

export function formatMegabytes(bytes: number): string {
  return `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`
}

export function formatDuration(seconds: number | null, language: Language): string {
  if (seconds === null) return TEXTS[language].unknownDuration
  const minutes = Math.floor(seconds / 60)
  const rest = seconds % 60
  return minutes > 0 ? `${minutes} min ${rest} s` : `${rest} s`
}
