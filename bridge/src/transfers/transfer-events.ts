import type { Database } from '../db/database'
import { releaseTargetAgent } from './consult-actions'

const LEG_ENDINGS = new Set(['completed', 'busy', 'cancelled', 'unanswered', 'rejected', 'failed', 'timeout'])

/**
 * Follows the end of a consulted target's leg. Its events are stored without a call (like
 * a supervisor's), so they never change the call's own state or outcome. While the
 * consultation is open, the row becomes target_left and the agent can only Return. After a
 * completed handover the target was the call's agent, so they now go to wrap-up.
 */
export async function onTransferLegStatus(db: Database, transferId: string, status: string): Promise<void> {
  if (!LEG_ENDINGS.has(status) || !/^\d{1,18}$/.test(transferId)) return
  await db.transaction(async (tx) => {
    const found = await tx.query<{ call_id: string; state: string; target_agent_id: string | null; target_leg_id: string | null }>(
      'SELECT call_id, state, target_agent_id, target_leg_id FROM call_transfers WHERE id = $1 FOR UPDATE',
      [transferId],
    )
    const row = found.rows[0]
    if (!row) return
    const consult = { targetAgentId: row.target_agent_id }
    if (row.state === 'dialing' || row.state === 'consulting') {
      await tx.query(`UPDATE call_transfers SET state = 'target_left' WHERE id = $1`, [transferId])
      await releaseTargetAgent(tx, consult, row.call_id, 'available')
    } else if (row.state === 'conference') {
      await tx.query(`UPDATE call_transfers SET state = 'ended', ended_at = now() WHERE id = $1`, [transferId])
      await releaseTargetAgent(tx, consult, row.call_id, 'wrap_up')
    } else if (row.state === 'completed' && row.target_leg_id !== null) {
      await tx.query(`UPDATE offers SET state = 'ended', ended_at = now() WHERE call_id = $1 AND agent_leg_id = $2 AND state = 'accepted'`, [row.call_id, row.target_leg_id])
      await releaseTargetAgent(tx, consult, row.call_id, 'wrap_up')
    }
  })
}
