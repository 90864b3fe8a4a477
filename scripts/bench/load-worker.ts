/**
 * Child process that sends a LoadJob's requests and replies with the latencies. It runs apart
 * from the bridge's process so that the client's work does not share the bridge's event loop.
 * It accepts only a 127.0.0.1 base URL.
 */
import http from 'node:http'
import { performance } from 'node:perf_hooks'

import type { LoadJob, LoadRequest, LoadResult } from './load-types'

interface Outcome {
  status: number
  body: string
}

function send(agent: http.Agent, target: URL, request: LoadRequest, timeoutMs: number): Promise<Outcome> {
  return new Promise<Outcome>((resolve, reject) => {
    const headers: Record<string, string | number> = { ...request.headers }
    if (request.body !== undefined) headers['content-length'] = Buffer.byteLength(request.body)
    const req = http.request(
      { host: target.hostname, port: target.port, method: request.method, path: request.path, headers, agent, timeout: timeoutMs },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (chunk: Buffer) => chunks.push(chunk))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }))
        res.on('error', reject)
      },
    )
    req.on('timeout', () => req.destroy(new Error(`request timed out after ${timeoutMs} ms`)))
    req.on('error', reject)
    req.end(request.body)
  })
}

async function runLoad(job: LoadJob): Promise<LoadResult> {
  const target = new URL(job.baseUrl)
  if (target.hostname !== '127.0.0.1') throw new Error(`load worker: base URL ${job.baseUrl} is not on 127.0.0.1`)

  const agent = new http.Agent({ keepAlive: true, maxSockets: job.concurrency })
  const latenciesMs: number[] = []
  let next = 0
  let failures = 0
  let firstFailure: string | undefined
  let stoppedAtDeadline = false
  const start = performance.now()
  const deadline = start + job.deadlineMs

  const recordFailure = (description: string) => {
    failures += 1
    firstFailure ??= description.slice(0, 300)
  }

  const lane = async () => {
    while (next < job.requests.length) {
      if (performance.now() > deadline) {
        stoppedAtDeadline = true
        return
      }
      const request = job.requests[next]
      next += 1
      const sentAt = performance.now()
      try {
        const outcome = await send(agent, target, request, job.requestTimeoutMs)
        if (outcome.status === job.expectedStatus) latenciesMs.push(performance.now() - sentAt)
        else recordFailure(`${request.method} ${request.path.split('?')[0]}: status ${outcome.status}: ${outcome.body}`)
      } catch (error) {
        recordFailure(`${request.method} ${request.path.split('?')[0]}: ${(error as Error).message}`)
      }
    }
  }

  await Promise.all(Array.from({ length: job.concurrency }, lane))
  const elapsedMs = performance.now() - start
  agent.destroy()
  return { latenciesMs, elapsedMs, sent: next, failures, firstFailure, stoppedAtDeadline }
}

process.on('message', (job: LoadJob) => {
  runLoad(job).then(
    (result) => process.send?.({ ok: true, result }),
    (error: unknown) => process.send?.({ ok: false, error: String(error) }),
  )
})

// A run in progress has no one to report to once the benchmark process goes away.
process.on('disconnect', () => process.exit(0))
