import path from 'node:path'

import { forkTypeScript, requestReply, stopChild } from './child-process'
import type { LoadJob, LoadResult } from './load-types'

/** Time the child may take beyond the job's deadline to finish requests in flight and reply. */
const REPLY_MARGIN_MS = 30_000

/** Runs one load job in a fresh child process (see load-worker.ts) and returns its result. */
export async function runLoad(job: LoadJob): Promise<LoadResult> {
  const child = forkTypeScript(path.join(__dirname, 'load-worker.ts'))
  try {
    const reply = await requestReply<{ ok: true; result: LoadResult } | { ok: false; error: string }>(
      child,
      job,
      job.deadlineMs + job.requestTimeoutMs + REPLY_MARGIN_MS,
    )
    if (!reply.ok) throw new Error(`load worker failed: ${reply.error}`)
    return reply.result
  } finally {
    await stopChild(child)
  }
}
