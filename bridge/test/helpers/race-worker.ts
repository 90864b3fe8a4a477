/**
 * One "bridge instance" for the assignment race test: assigns waiting calls with the real
 * dispatcher and ends each offer at once, so agents come back for more, until no caller
 * is left. Prints how many offers it made.
 */
import { openDatabase } from '../../src/db/database'
import { assignCalls } from '../../src/routing/dispatcher'

async function main(): Promise<void> {
  const db = await openDatabase({ databaseUrl: process.env.RACE_DATABASE_URL, dataDir: '/nonexistent', schema: process.env.RACE_SCHEMA })
  let made = 0
  let idleRounds = 0
  while (idleRounds < 20) {
    const offers = await assignCalls(db, new Date(), 10_000)
    made += offers.length
    idleRounds = offers.length === 0 ? idleRounds + 1 : 0
    for (const offer of offers) {
      await db.transaction(async (tx) => {
        await tx.query(`UPDATE offers SET state = 'ended', ended_at = clock_timestamp() WHERE id = $1`, [offer.offerId])
        await tx.query(`UPDATE agents SET state = 'available', state_changed_at = clock_timestamp(), current_call_id = NULL WHERE id = $1`, [offer.agentId])
        await tx.query(`UPDATE queue_entries SET state = 'connected' WHERE call_id = $1`, [offer.callId])
      })
    }
    if (offers.length === 0) await new Promise((resolve) => setTimeout(resolve, 50))
  }
  process.stdout.write(JSON.stringify({ offers: made }))
  await db.close()
}

main().catch((error) => {
  process.stderr.write(String(error?.stack ?? error))
  process.exit(1)
})
