import type { Queryable } from '../db/database'
import type { Language } from '../i18n/language'
import { fill } from '../i18n/ticket-texts'
import { TRANSFER_TEXTS } from '../i18n/transfer-texts'

/**
 * Lines for the call's note on the ticket, one per transfer or conference, oldest first,
 * after a first line with the reason when Vonage rejected the dial of an outbound call's customer.
 */
export async function transferLogLines(db: Queryable, callId: string, language: Language): Promise<string[]> {
  const result = await db.query<{ kind: 'cold' | 'warm'; state: string; target_type: string; target_label: string; agent_name: string | null }>(
    `SELECT t.kind, t.state, t.target_type, t.target_label, a.name AS agent_name
     FROM call_transfers t LEFT JOIN agents a ON a.id = t.from_agent_id
     WHERE t.call_id = $1 AND (t.state = 'completed' OR (t.state = 'ended' AND t.kind = 'warm')) ORDER BY t.id`,
    [callId],
  )
  const texts = TRANSFER_TEXTS[language]
  const lines = result.rows.map((row) => {
    const line = row.state === 'completed' ? texts.logLine[row.kind] : texts.logLine.conference
    return fill(line, { target: row.target_label, type: texts.targetType[row.target_type] ?? row.target_type, agent: row.agent_name ?? '-' })
  })
  const dial = await db.query<{ customer_dial_error: string | null }>(`SELECT customer_dial_error FROM calls WHERE id = $1 AND customer_dial = 'failed'`, [callId])
  if (dial.rows[0]) lines.unshift(fill(DIAL_FAILED[language], { reason: dial.rows[0].customer_dial_error ?? '-' }))
  return lines
}

/** The note's first line when Vonage rejected the call to the customer of an outbound call. */
const DIAL_FAILED: Record<Language, string> = {
  it: 'Il cliente non è stato chiamato perché Vonage ha rifiutato la chiamata ({reason}).',
  en: 'The customer was not called because Vonage rejected the call ({reason}).',
}
