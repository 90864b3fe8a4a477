/** One prepared HTTP request: signed beforehand, so the load run only sends it. */
export interface LoadRequest {
  method: 'GET' | 'POST'
  /** Path with the query string, such as `/vonage/answer?to=...`. */
  path: string
  headers: Record<string, string>
  body?: string
}

/** A bounded load run: every request is sent once at most, and none starts after the deadline. */
export interface LoadJob {
  /** Base URL of the server under test, which must be on 127.0.0.1. */
  baseUrl: string
  requests: LoadRequest[]
  concurrency: number
  /** HTTP status that counts as success, such as 200 for an answer webhook and 204 for an event webhook. */
  expectedStatus: number
  /** No request starts after this many ms from the start of the run. */
  deadlineMs: number
  requestTimeoutMs: number
}

export interface LoadResult {
  /** Latency of each successful request in ms, from sending the request to the end of the response body. */
  latenciesMs: number[]
  /** Wall-clock time of the whole run in ms. */
  elapsedMs: number
  sent: number
  failures: number
  /** Status (or error) and body of the first failed request, cut to 300 characters. */
  firstFailure?: string
  stoppedAtDeadline: boolean
}
