import { useState } from 'react'
import { ThemeProvider } from '@zendeskgarden/react-theming'
import type { BridgeApi, Bootstrap } from './bridge-api'
import { ErrorState } from './components/States'
import { useAutoResize } from './hooks'
import { I18nProvider, useI18n, type I18n } from './i18n'
import { Background } from './locations/Background'
import { NavBar } from './locations/NavBar'
import { TicketSidebar } from './locations/TicketSidebar'
import { TopBar } from './locations/TopBar'
import { UserSidebar } from './locations/UserSidebar'
import { ClientContext, type ZafClient } from './zaf'

const LOCATIONS: Record<string, (props: { api: BridgeApi }) => JSX.Element | null> = {
  ticket_sidebar: TicketSidebar,
  user_sidebar: UserSidebar,
  top_bar: TopBar,
  background: Background,
  nav_bar: NavBar,
}

export interface IAppProps {
  client: ZafClient
  api: BridgeApi
  bootstrap: Bootstrap
  i18n: I18n
}

/** Renders the component of the location Zendesk loaded, inside the theme, the client and the translations. */
export function App({ client, api, bootstrap, i18n }: IAppProps) {
  return (
    <ThemeProvider>
      <ClientContext.Provider value={client}>
        <I18nProvider value={i18n}>
          <Sized client={client}>
            <Location api={api} bootstrap={bootstrap} />
          </Sized>
        </I18nProvider>
      </ClientContext.Provider>
    </ThemeProvider>
  )
}

function Sized({ client, children }: { client: ZafClient; children: JSX.Element }) {
  const [element, setElement] = useState<HTMLDivElement | null>(null)
  useAutoResize(client, element)
  return (
    <div ref={setElement} lang={useI18n().locale}>
      {children}
    </div>
  )
}

function Location({ api, bootstrap }: { api: BridgeApi; bootstrap: Bootstrap }) {
  const { t } = useI18n()
  if (!api.hasSession) return <ErrorState message={`${t('common.session_error')} (${bootstrap.error?.message ?? ''})`} />
  const Component = LOCATIONS[bootstrap.location]
  return Component ? <Component api={api} /> : <ErrorState message={`Unknown location ${bootstrap.location}`} />
}
