import type { Language } from './language'

/** What callers and agents hear during routing, per language. `{...}` marks a value filled in. */
export const ROUTING_PROMPTS: Record<
  Language,
  {
    queued: string
    pressForCallback: string
    position: string
    closedVoicemail: string
    closedCallback: string
    callbackBooked: string
    goodbye: string
    whisper: string
    whisperTicket: string
    whisperCallback: string
  }
> = {
  it: {
    queued: 'Tutti gli operatori sono occupati. Resta in linea: risponderemo il prima possibile.',
    pressForCallback: 'Se preferisci essere richiamato senza perdere il tuo posto, premi {key} in qualsiasi momento.',
    position: 'Sei il numero {position} in coda. Attesa stimata: circa {minutes} minuti.',
    closedVoicemail: 'In questo momento i nostri uffici sono chiusi.',
    closedCallback: 'In questo momento i nostri uffici sono chiusi. Ti richiameremo al numero da cui chiami appena riapriamo. Grazie.',
    callbackBooked: 'Grazie. Ti richiameremo al numero da cui chiami appena un operatore sarà libero. Mantieni il tuo posto in coda.',
    goodbye: 'Grazie per aver chiamato. Arrivederci.',
    whisper: 'Chiamata da {caller}, coda {queue}.',
    whisperTicket: 'Ticket {ticket}, priorità {priority}.',
    whisperCallback: 'Richiamata per {caller}, coda {queue}. Collegamento in corso.',
  },
  en: {
    queued: 'All our agents are busy. Please stay on the line and we will answer as soon as we can.',
    pressForCallback: 'If you would rather be called back without losing your place, press {key} at any time.',
    position: 'You are number {position} in the queue. Estimated wait: about {minutes} minutes.',
    closedVoicemail: 'Our offices are closed right now.',
    closedCallback: 'Our offices are closed right now. We will call you back on this number as soon as we open. Thank you.',
    callbackBooked: 'Thank you. We will call you back on this number as soon as an agent is free, keeping your place in the queue.',
    goodbye: 'Thank you for calling. Goodbye.',
    whisper: 'Call from {caller}, queue {queue}.',
    whisperTicket: 'Ticket {ticket}, priority {priority}.',
    whisperCallback: 'Callback for {caller}, queue {queue}. Connecting now.',
  },
}

/** Ticket priorities as agents hear them. */
export const PRIORITY_WORDS: Record<Language, Record<string, string>> = {
  it: { urgent: 'urgente', high: 'alta', normal: 'normale', low: 'bassa' },
  en: { urgent: 'urgent', high: 'high', normal: 'normal', low: 'low' },
}
