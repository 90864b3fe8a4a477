/** The part of the Vonage Client SDK (v2) that the softphone uses. */
export interface SoftphoneClient {
  createSession(token: string): Promise<string>
  refreshSession(token: string): Promise<unknown>
  deleteSession(): Promise<unknown>
  answer(callId: string): Promise<unknown>
  reject(callId: string): Promise<unknown>
  hangup(callId: string): Promise<unknown>
  mute(callId: string): Promise<unknown>
  unmute(callId: string): Promise<unknown>
  on(event: string, callback: (...args: any[]) => void): symbol
  off(event: string, symbol: symbol): boolean
}

/**
 * Loads the SDK on first use, so agents who take calls on a phone never download it.
 * The import stays dynamic: Vite puts the SDK in a chunk of its own.
 */
export async function createSoftphoneClient(): Promise<SoftphoneClient> {
  const sdk = await import('@vonage/client-sdk')
  return new sdk.VonageClient() as unknown as SoftphoneClient
}
