/** Formats an ISO time in the viewer's locale and time zone, such as "4 dic, 21:05". */
export function formatDateTime(iso: string | null, locale: string, timeZone: string): string {
  if (!iso) return '–'
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(new Date(iso))
}

/** Formats seconds as m:ss or h:mm:ss. */
export function formatDuration(seconds: number | null): string {
  if (seconds === null) return '–'
  const h = Math.floor(seconds / 3600)
  const m = Math.floor((seconds % 3600) / 60)
  const s = String(seconds % 60).padStart(2, '0')
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`
}

/** Formats seconds as mm:ss, or h:mm:ss from one hour on, for the wallboard's timers. */
export function formatClock(seconds: number): string {
  const minutes = Math.floor(seconds / 60)
  const s = String(seconds % 60).padStart(2, '0')
  if (minutes < 60) return `${String(minutes).padStart(2, '0')}:${s}`
  return `${Math.floor(minutes / 60)}:${String(minutes % 60).padStart(2, '0')}:${s}`
}
