/**
 * Formats one CSV cell (RFC 4180). A cell that starts with = + - or @ gets a leading
 * apostrophe, because a spreadsheet would run it as a formula; phone numbers start with +
 * and names are free text.
 */
export function csvCell(value: string | number | null): string {
  if (value === null) return ''
  let text = String(value)
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}
