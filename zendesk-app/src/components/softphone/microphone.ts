/** Whether this page may record from a microphone. */
export type MicrophoneAccess = 'granted' | 'blocked' | 'no_device'

/**
 * Requests the microphone once and releases it at once. Browsers reject with NotAllowedError
 * when the user blocks it or the page's iframe lacks `allow="microphone"` (Permissions Policy),
 * and with SecurityError on an insecure origin. Pages without `navigator.mediaDevices`
 * (plain http, old browsers) cannot record at all.
 */
export async function checkMicrophone(media: Pick<MediaDevices, 'getUserMedia'> | undefined = globalThis.navigator?.mediaDevices): Promise<MicrophoneAccess> {
  if (!media?.getUserMedia) return 'blocked'
  try {
    const stream = await media.getUserMedia({ audio: true })
    stream.getTracks().forEach((track) => track.stop())
    return 'granted'
  } catch (error) {
    const name = (error as { name?: string }).name
    if (name === 'NotFoundError' || name === 'NotReadableError' || name === 'OverconstrainedError') return 'no_device'
    return 'blocked'
  }
}
