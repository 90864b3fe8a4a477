import { Connect, ConnectEventType, NCCOBuilder, Record as RecordAction, RecordingFormat, Talk } from '@vonage/voice'
import type { Language } from '../i18n/language'
import { PROMPTS } from '../i18n/prompts'
import type { Destination } from './destination'

/** The NCCO actions as the Voice API receives them (plain JSON). */
export type Ncco = Array<Record<string, unknown>>

export interface AnswerNccoInput {
  language: Language
  destination: Destination
  /** The Vonage number that was called; it becomes the caller id of the connected leg. */
  calledNumber?: string
  publicUrl: string
  connectTimeoutSeconds: number
}

/**
 * Builds the answer NCCO: greet the caller, record the whole call, and ring the
 * destination. The connect is synchronous so that, when nobody answers, Vonage asks
 * the event URL for the next NCCO (the voicemail one).
 */
export function buildAnswerNcco(input: AnswerNccoInput): Ncco {
  const prompts = PROMPTS[input.language]
  const endpoint =
    input.destination.type === 'phone'
      ? { type: 'phone' as const, number: input.destination.number }
      : { type: 'sip' as const, uri: input.destination.uri }
  const connect = new Connect(
    endpoint,
    input.destination.type === 'phone' ? input.calledNumber : undefined,
    undefined,
    ConnectEventType.SYNCHRONOUS,
    input.connectTimeoutSeconds,
    undefined,
    undefined,
    `${input.publicUrl}/vonage/event?step=connect`,
  )
  return new NCCOBuilder()
    .addAction(new Talk(prompts.greeting, false, 1, undefined, prompts.ttsLanguage))
    .addAction(
      new RecordAction(RecordingFormat.MP3, undefined, undefined, undefined, undefined, undefined, false, `${input.publicUrl}/vonage/event?recording=call`),
    )
    .addAction(connect)
    .build() as unknown as Ncco
}

/** The NCCO that takes a voicemail after the destination did not answer. */
export function buildVoicemailNcco(language: Language, publicUrl: string): Ncco {
  const prompts = PROMPTS[language]
  const record = new RecordAction(
    RecordingFormat.MP3,
    undefined,
    undefined,
    3,
    '#',
    180,
    true,
    `${publicUrl}/vonage/event?recording=voicemail`,
  )
  return new NCCOBuilder()
    .addAction(new Talk(prompts.voicemail, false, 1, undefined, prompts.ttsLanguage))
    .addAction(record)
    .build() as unknown as Ncco
}
