import { useEffect } from 'react'
import type { BridgeApi } from '../bridge-api'
import { useClient } from '../zaf'

/**
 * Runs with no UI from the moment Zendesk loads. A top-bar app loads only when first
 * opened, so on an offer this instance opens the top bar, which then shows the call.
 */
export function Background({ api }: { api: BridgeApi }) {
  const client = useClient()
  useEffect(() => {
    const controller = new AbortController()
    api.listen(
      '/app/api/events',
      (type) => {
        if (type !== 'call_offered') return
        void client.get('instances').then((result) => {
          const instances = Object.values(result.instances ?? {}) as Array<{ location: string; instanceGuid: string }>
          const topBar = instances.find((instance) => instance.location === 'top_bar')
          if (topBar && client.instance) void client.instance(topBar.instanceGuid).invoke('popover', 'show')
        })
      },
      controller.signal,
    )
    return () => controller.abort()
  }, [api, client])
  return null
}
