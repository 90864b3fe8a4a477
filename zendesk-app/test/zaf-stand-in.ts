import type { ZafClient } from '../src/zaf'

/** A ZAF client stand-in: `get` reads from `data`, `request` from `zendesk` by URL, and every call is recorded. */
export function fakeClient(data: Record<string, unknown>, zendesk: Record<string, unknown> = {}) {
  const calls: Array<{ method: string; args: unknown[] }> = []
  const handlers = new Map<string, Array<(payload: unknown) => void>>()
  const client: ZafClient = {
    get: async (path) => {
      calls.push({ method: 'get', args: [path] })
      const paths = Array.isArray(path) ? path : [path]
      return Object.fromEntries(paths.map((key) => [key, data[key]]))
    },
    set: async (path, value) => {
      calls.push({ method: 'set', args: [path, value] })
      return {}
    },
    invoke: async (name, ...args) => {
      calls.push({ method: 'invoke', args: [name, ...args] })
      return {}
    },
    on: (name, handler) => handlers.set(name, [...(handlers.get(name) ?? []), handler]),
    off: (name, handler) => handlers.set(name, (handlers.get(name) ?? []).filter((item) => item !== handler)),
    request: async (options) => {
      calls.push({ method: 'request', args: [options] })
      const key = Object.keys(zendesk).find((prefix) => options.url.startsWith(prefix))
      if (!key) throw new Error(`no stand-in answer for ${options.url}`)
      return zendesk[key]
    },
    context: async () => ({ location: 'ticket_sidebar' }),
  }
  return { client, calls, trigger: (name: string, payload: unknown) => (handlers.get(name) ?? []).forEach((handler) => handler(payload)) }
}

/** A fetch stand-in for the bridge: answers by path prefix and records the requests. */
export function fakeBridge(routes: Record<string, { status?: number; body: unknown }>) {
  const requests: Array<{ url: string; method: string; body?: string }> = []
  const fetchImpl = (async (url: string, init: RequestInit = {}) => {
    requests.push({ url, method: init.method ?? 'GET', body: init.body as string | undefined })
    const key = Object.keys(routes).find((prefix) => url.startsWith(prefix))
    if (!key) return new Response('{}', { status: 404 })
    const route = routes[key]
    // A 204 reply must have no body, or the Response constructor throws.
    if (route.status === 204) return new Response(null, { status: 204 })
    return new Response(JSON.stringify(route.body), { status: route.status ?? 200, headers: { 'content-type': 'application/json' } })
  }) as typeof fetch
  return { fetchImpl, requests }
}
