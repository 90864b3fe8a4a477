import type { Language } from './language'

/** What callers hear, per language, with the Vonage text-to-speech language code. */
export const PROMPTS: Record<Language, { ttsLanguage: string; greeting: string; voicemail: string }> = {
  it: {
    ttsLanguage: 'it-IT',
    greeting: 'Grazie per aver chiamato. La chiamata può essere registrata. Ti mettiamo in contatto con un operatore.',
    voicemail:
      'Al momento nessun operatore è disponibile. Lascia un messaggio dopo il segnale acustico e premi cancelletto quando hai finito.',
  },
  en: {
    ttsLanguage: 'en-US',
    greeting: 'Thank you for calling. This call may be recorded. We are connecting you to an agent.',
    voicemail: 'No agent is available right now. Please leave a message after the tone and press hash when you are done.',
  },
}
