import type { Delivery } from './scenarios'
import { signVonageWebhook } from './sign-webhook'

export interface WebhookCredentials {
  /** The account signature secret that the bridge verifies webhooks with. */
  secret: string
  apiKey: string
  applicationId: string
}

export interface DeliveryResult {
  status: number
  /** Parsed JSON when the bridge responded with JSON, otherwise the text (empty for no body). */
  body: unknown
}

/** The User-Agent of Vonage's webhook requests in captured traffic. */
const VONAGE_USER_AGENT = 'Apache-HttpAsyncClient/4.1 (Java/1.8.0_66)'

const LOOPBACK_HOSTNAMES = new Set(['127.0.0.1', 'localhost', '[::1]'])

/** Builds the webhook URL, and throws unless the bridge is on this machine's loopback interface. */
function webhookUrl(bridgeUrl: string, delivery: Delivery): URL {
  const url = new URL(`${bridgeUrl.replace(/\/+$/, '')}${delivery.path}`)
  if (!LOOPBACK_HOSTNAMES.has(url.hostname)) {
    throw new Error(
      `sendDelivery: ${url.hostname} is not a loopback host. The simulator sends only to 127.0.0.1, localhost or [::1].`,
    )
  }
  for (const [name, value] of Object.entries(delivery.query ?? {})) {
    url.searchParams.append(name, value)
  }
  return url
}

async function readResponseBody(response: Response): Promise<unknown> {
  const text = await response.text()
  const isJson = response.headers.get('content-type')?.includes('application/json') ?? false
  if (!isJson || text === '') {
    return text
  }
  try {
    return JSON.parse(text) as unknown
  } catch {
    return text
  }
}

/**
 * Signs and sends one webhook to the bridge, then returns its status and body.
 * A POST body is serialised once, so the signature hashes exactly the bytes sent.
 * A GET signature hashes the query parameters in the order they appear in the URL.
 */
export async function sendDelivery(
  bridgeUrl: string,
  delivery: Delivery,
  credentials: WebhookCredentials,
): Promise<DeliveryResult> {
  const url = webhookUrl(bridgeUrl, delivery)
  const body = delivery.method === 'POST' ? JSON.stringify(delivery.body ?? {}) : undefined
  const token = signVonageWebhook({
    secret: credentials.secret,
    apiKey: credentials.apiKey,
    applicationId: credentials.applicationId,
    body,
    query: body === undefined ? url.searchParams : undefined,
  })

  const headers: Record<string, string> = {
    Authorization: `Bearer ${token}`,
    'User-Agent': VONAGE_USER_AGENT,
  }
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json'
  }
  const response = await fetch(url, { method: delivery.method, headers, body })
  return { status: response.status, body: await readResponseBody(response) }
}

/** Sends the deliveries one at a time, in list order, and returns every result. */
export async function sendDeliveries(
  bridgeUrl: string,
  deliveries: Delivery[],
  credentials: WebhookCredentials,
): Promise<DeliveryResult[]> {
  const results: DeliveryResult[] = []
  for (const delivery of deliveries) {
    results.push(await sendDelivery(bridgeUrl, delivery, credentials))
  }
  return results
}
