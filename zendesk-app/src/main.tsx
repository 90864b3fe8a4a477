import { createRoot } from 'react-dom/client'
import ZAFClient from 'zendesk_app_framework_sdk'
import { App } from './App'
import { BridgeApi, type Bootstrap } from './bridge-api'
import { makeTranslate, pickLocale } from './i18n'
import { startSoftphoneWindow } from './locations/SoftphoneWindow'
import type { ZafClient } from './zaf'

declare global {
  interface Window {
    __CENTRALINO__?: Bootstrap
  }
}

async function start(): Promise<void> {
  const root = createRoot(document.getElementById('root') as HTMLElement)
  const bootstrap: Bootstrap = window.__CENTRALINO__ ?? { location: 'unknown', error: { code: 'CENTRALINO_ERR_APP_BOOTSTRAP', message: 'no bootstrap data' } }
  // The softphone's pop-out runs outside Zendesk, so it starts without the ZAF client.
  if (bootstrap.location === 'softphone') {
    startSoftphoneWindow(root)
    return
  }
  const client = ZAFClient.init() as ZafClient | false
  if (!client) {
    root.render(<p>Centralino runs inside Zendesk: open it from the agent workspace.</p>)
    return
  }
  const { currentUser } = await client.get('currentUser')
  const locale = pickLocale(currentUser?.locale)
  const timeZone = currentUser?.timeZone?.ianaName ?? Intl.DateTimeFormat().resolvedOptions().timeZone
  document.documentElement.lang = locale
  const api = new BridgeApi(bootstrap)
  root.render(<App client={client} api={api} bootstrap={bootstrap} i18n={{ locale, timeZone, t: makeTranslate(locale) }} />)
}

void start()
