/**
 * Clean-up steps for what the benchmark creates outside this process: temporary folders
 * and PostgreSQL schemas. run-bench.ts runs those still registered when it is interrupted
 * or reaches its deadline, because `finally` blocks do not run on process.exit or a signal.
 */
const pending = new Set<() => Promise<void>>()

/** Registers `step` and returns a function that runs it once and unregisters it. */
export function registerCleanup(step: () => Promise<void>): () => Promise<void> {
  let done: Promise<void> | undefined
  const runOnce = () => {
    pending.delete(runOnce)
    done ??= step()
    return done
  }
  pending.add(runOnce)
  return runOnce
}

/** Runs every registered step, reporting failures instead of throwing, and gives up after `timeoutMs`. */
export async function runPendingCleanups(timeoutMs: number): Promise<void> {
  const steps = [...pending].map((step) => step().catch((error: unknown) => console.error('bench: clean-up failed:', error)))
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      console.error(`bench: clean-up still running after ${timeoutMs} ms; temporary folders or bench_ schemas may remain`)
      resolve()
    }, timeoutMs)
  })
  await Promise.race([Promise.all(steps), timeout])
  clearTimeout(timer)
}
