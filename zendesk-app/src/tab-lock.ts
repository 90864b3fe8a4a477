const KEY = 'centralino.softphone-tab'
const HEARTBEAT_MS = 5_000
const STALE_MS = 15_000

/**
 * Lets one browser tab own the softphone. The owner writes a heartbeat to localStorage,
 * and other tabs stay passive until it goes stale or a tab takes over on request. A
 * take-over is announced on a BroadcastChannel, so the old owner steps back at once.
 */
export class TabLock {
  readonly tabId = Math.random().toString(36).slice(2)
  private timer?: ReturnType<typeof setInterval>
  private channel?: BroadcastChannel

  constructor(
    private readonly onChange: (isOwner: boolean) => void,
    private readonly storage: Storage = window.localStorage,
  ) {}

  start(): void {
    if (typeof BroadcastChannel !== 'undefined') {
      this.channel = new BroadcastChannel('centralino')
      this.channel.onmessage = (event) => {
        if (event.data?.type === 'take-over' && event.data.tabId !== this.tabId) this.onChange(false)
      }
    }
    this.tick()
    this.timer = setInterval(() => this.tick(), HEARTBEAT_MS)
    // A closed tab releases the softphone at once instead of after the heartbeat goes stale.
    window.addEventListener('pagehide', () => this.stop(), { once: true })
  }

  stop(): void {
    clearInterval(this.timer)
    this.channel?.close()
    if (this.owner()?.tabId === this.tabId) this.storage.removeItem(KEY)
  }

  takeOver(): void {
    this.write()
    this.channel?.postMessage({ type: 'take-over', tabId: this.tabId })
    this.onChange(true)
  }

  private tick(): void {
    const owner = this.owner()
    if (!owner || owner.tabId === this.tabId || Date.now() - owner.at > STALE_MS) {
      this.write()
      this.onChange(true)
    } else {
      this.onChange(false)
    }
  }

  private owner(): { tabId: string; at: number } | undefined {
    try {
      return JSON.parse(this.storage.getItem(KEY) ?? 'null') ?? undefined
    } catch {
      return undefined
    }
  }

  private write(): void {
    this.storage.setItem(KEY, JSON.stringify({ tabId: this.tabId, at: Date.now() }))
  }
}
