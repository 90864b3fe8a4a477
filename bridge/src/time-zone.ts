/** Tells whether `zone` is an IANA time zone this Node.js knows, such as Europe/Rome. */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone })
    return true
  } catch {
    return false
  }
}
