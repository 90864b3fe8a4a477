import { createContext, useContext } from 'react'

/** The part of the ZAF v2 client (zendesk_app_framework_sdk) that the app uses. */
export interface ZafClient {
  get(path: string | string[]): Promise<Record<string, any>>
  set(path: string, value: unknown): Promise<Record<string, any>>
  invoke(name: string, ...args: unknown[]): Promise<Record<string, any>>
  on(name: string, handler: (data: any) => void): void
  off?(name: string, handler: (data: any) => void): void
  request(options: { url: string; type?: string; contentType?: string; data?: string }): Promise<any>
  context(): Promise<{ location: string; ticketId?: number }>
  instance?(guid: string): ZafClient
}

export const ClientContext = createContext<ZafClient | null>(null)

/** Returns the ZAF client; throws when a component renders outside the provider. */
export function useClient(): ZafClient {
  const client = useContext(ClientContext)
  if (!client) throw new Error('useClient needs a ClientContext.Provider above it')
  return client
}
