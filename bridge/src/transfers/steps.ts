import type { FastifyBaseLogger as Logger } from 'fastify'

/** One Voice API request of a control, with the request that reverses it. */
export interface VoiceStep {
  name: string
  run(): Promise<void>
  undo?(): Promise<void>
}

/**
 * Runs the steps in order. When one fails, the steps already done are reversed, newest
 * first, so the call goes back to how it was, and the first error is thrown again. An
 * undo that fails too is logged, because the call may then be left half changed.
 */
export async function runSteps(steps: VoiceStep[], log: Logger): Promise<void> {
  const done: VoiceStep[] = []
  for (const step of steps) {
    try {
      await step.run()
      done.push(step)
    } catch (error) {
      for (const previous of done.reverse()) {
        if (previous.undo === undefined) continue
        await previous.undo().catch((undoError) => log.error({ err: undoError, step: previous.name }, 'could not undo a call control step; the call may be half changed'))
      }
      throw error
    }
  }
}
