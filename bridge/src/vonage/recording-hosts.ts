/**
 * A host from which the bridge may download recordings with the application's JWT.
 * "api.nexmo.com" matches exactly, "*.vonage.com" matches any subdomain, and an entry
 * written with a scheme allows that exact origin: any https origin, or an http origin on
 * loopback such as "http://127.0.0.1:4010" for a local stand-in. Hosts without a scheme
 * are reached over https on port 443 only.
 */
export type RecordingHostRule =
  | { kind: 'exact'; host: string }
  | { kind: 'suffix'; suffix: string }
  | { kind: 'origin'; origin: string }

const LOOPBACK_HOSTS = /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|localhost|\[::1\])$/

export function parseRecordingHosts(value: string): RecordingHostRule[] {
  const rules: RecordingHostRule[] = []
  for (const entry of value.split(',').map((part) => part.trim().toLowerCase()).filter(Boolean)) {
    if (/^https?:\/\//.test(entry)) {
      const url = new URL(entry)
      if (url.protocol === 'http:' && !LOOPBACK_HOSTS.test(url.hostname)) {
        throw new Error(`"${entry}" uses plain http on a host that is not this machine: only loopback stand-ins may use http`)
      }
      rules.push({ kind: 'origin', origin: url.origin })
    } else if (entry.startsWith('*.') && /^\*\.[a-z0-9.-]+\.[a-z]{2,}$/.test(entry)) {
      rules.push({ kind: 'suffix', suffix: entry.slice(1) })
    } else if (/^[a-z0-9.-]+\.[a-z]{2,}$/.test(entry)) {
      rules.push({ kind: 'exact', host: entry })
    } else {
      throw new Error(`"${entry}" is not a host: write api.nexmo.com, *.vonage.com or http://127.0.0.1:PORT`)
    }
  }
  if (rules.length === 0) throw new Error('the list is empty: name at least one host, such as api.nexmo.com')
  return rules
}

/**
 * Checks a recording URL taken from a webhook before the bridge sends its token there.
 * Returns the reason it is refused, or undefined when it is allowed.
 */
export function rejectRecordingUrl(rawUrl: string, rules: RecordingHostRule[]): string | undefined {
  let url: URL
  try {
    url = new URL(rawUrl)
  } catch {
    return 'the recording URL is not a valid URL'
  }
  if (url.username !== '' || url.password !== '') return 'the recording URL carries user credentials'
  if (!/^\/v[13]\/files\/[A-Za-z0-9-]+$/.test(url.pathname)) return 'the recording URL path is not /v1/files/<id>'
  const host = url.hostname.toLowerCase()
  for (const rule of rules) {
    if (rule.kind === 'origin' && url.origin === rule.origin) return undefined
    if (url.protocol !== 'https:' || url.port !== '') continue
    if (rule.kind === 'exact' && host === rule.host) return undefined
    if (rule.kind === 'suffix' && host.endsWith(rule.suffix) && host.length > rule.suffix.length) return undefined
  }
  return `host ${url.host} is not in VONAGE_RECORDING_HOSTS`
}
