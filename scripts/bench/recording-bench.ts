/**
 * Recording streaming benchmark: the bridge's own download and upload functions move a
 * generated file from a local Vonage stand-in to the local Zendesk uploads stand-in, while
 * this process samples its resident set size (RSS).
 */
import { randomUUID } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { performance } from 'node:perf_hooks'

import { createLogger } from '../../bridge/src/logger'
import { extensionFor, openRecording } from '../../bridge/src/vonage/recording-download'
import { ZendeskClient } from '../../bridge/src/zendesk/client'
import type { ZendeskUpload } from '../../bridge/src/zendesk/types'
import { APPLICATION_ID, LogSink, PUBLIC_KEY_PEM, ZENDESK_API_TOKEN, ZENDESK_EMAIL, benchConfig } from './bench-bridge'
import { forkTypeScript, requestReply, stopChild } from './child-process'
import { registerCleanup } from './cleanup'
import type { ServersReply, ServersRequest } from './recording-servers'

export interface RecordingFigures {
  bytes: number
  seconds: number
  /** Highest sampled RSS minus the RSS just before the transfer, in bytes. */
  peakRssGrowthBytes: number
  rssBeforeBytes: number
  /**
   * Highest sampled `process.memoryUsage().arrayBuffers`: the memory of ArrayBuffers and
   * Buffers, where stream chunks live. It includes chunks that are garbage but not yet collected.
   */
  peakArrayBufferBytes: number
}

const MEMORY_SAMPLE_INTERVAL_MS = 5
const REPLY_TIMEOUT_MS = 30_000
/** Upper bound for one transfer, so a stalled stream ends the run instead of hanging it. */
const TRANSFER_TIMEOUT_MS = 120_000

async function ask(child: ReturnType<typeof forkTypeScript>, request: ServersRequest): Promise<ServersReply> {
  const reply = await requestReply<ServersReply>(child, request, REPLY_TIMEOUT_MS)
  if (reply.type === 'error') throw new Error(`recording stand-ins: ${reply.message}`)
  return reply
}

interface MemoryPeaks {
  rss: number
  arrayBuffers: number
}

/** Samples memory until stopped and returns the highest values seen, in bytes. */
function sampleMemory(): { stop(): MemoryPeaks } {
  const peaks: MemoryPeaks = { rss: 0, arrayBuffers: 0 }
  const sample = () => {
    const usage = process.memoryUsage()
    peaks.rss = Math.max(peaks.rss, usage.rss)
    peaks.arrayBuffers = Math.max(peaks.arrayBuffers, usage.arrayBuffers)
  }
  sample()
  const timer = setInterval(sample, MEMORY_SAMPLE_INTERVAL_MS)
  return {
    stop() {
      clearInterval(timer)
      sample()
      return peaks
    },
  }
}

/**
 * Streams each size in turn through `openRecording` and `ZendeskClient.request`, as the
 * attach-recording job does, and checks that the stand-in received the same bytes (size
 * and SHA-256) that the generator sent. `warmupBytes` are streamed first and not reported,
 * so that lazily loaded code and first-use buffers do not count as growth.
 */
export async function runRecordingBench(sizes: number[], warmupBytes: number): Promise<RecordingFigures[]> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'centralino-bench-'))
  const removeDataDir = registerCleanup(async () => rmSync(dataDir, { recursive: true, force: true }))
  const servers = forkTypeScript(path.join(__dirname, 'recording-servers.ts'))
  try {
    const started = await ask(servers, {
      type: 'start',
      applicationId: APPLICATION_ID,
      publicKeyPem: PUBLIC_KEY_PEM,
      zendeskEmail: ZENDESK_EMAIL,
      zendeskApiToken: ZENDESK_API_TOKEN,
    })
    if (started.type !== 'started') throw new Error(`recording stand-ins replied ${started.type} to start`)
    const largest = Math.max(warmupBytes, ...sizes)
    const config = benchConfig(dataDir, {
      ZENDESK_URL: started.zendeskUrl,
      VONAGE_RECORDING_HOSTS: started.vonageUrl,
      RECORDING_MAX_BYTES: String(largest),
    })
    const zendesk = new ZendeskClient(config.zendesk, createLogger('info', new LogSink()))

    const transfer = async (bytes: number): Promise<RecordingFigures> => {
      const fileId = randomUUID()
      await ask(servers, { type: 'add-file', fileId, bytes })
      const signal = AbortSignal.timeout(TRANSFER_TIMEOUT_MS)
      const rssBeforeBytes = process.memoryUsage.rss()
      const sampler = sampleMemory()
      const startedAt = performance.now()
      let peaks: MemoryPeaks
      let upload: ZendeskUpload
      try {
        const file = await openRecording(`${started.vonageUrl}/v1/files/${fileId}`, config.vonage, config.recordingMaxBytes, signal)
        const headers: Record<string, string> = { 'Content-Type': file.contentType }
        if (file.contentLength !== undefined) headers['Content-Length'] = String(file.contentLength)
        const result = await zendesk.request<{ upload: ZendeskUpload }>('POST', '/api/v2/uploads.json', {
          query: { filename: `bench-${fileId}.${extensionFor(file.contentType)}` },
          body: file.body,
          headers,
          signal,
        })
        upload = result.upload
      } finally {
        peaks = sampler.stop()
      }
      const seconds = (performance.now() - startedAt) / 1000

      const compared = await ask(servers, { type: 'compare', fileId, uploadToken: upload.token })
      if (compared.type !== 'compared') throw new Error(`recording stand-ins replied ${compared.type} to compare`)
      if (compared.sentBytes !== bytes || compared.receivedBytes !== bytes || compared.sentSha256 !== compared.receivedSha256) {
        throw new Error(
          `recording of ${bytes} bytes arrived changed: sent ${compared.sentBytes} bytes (sha256 ${compared.sentSha256}), ` +
            `Zendesk stand-in received ${compared.receivedBytes} bytes (sha256 ${compared.receivedSha256})`,
        )
      }
      return { bytes, seconds, peakRssGrowthBytes: peaks.rss - rssBeforeBytes, rssBeforeBytes, peakArrayBufferBytes: peaks.arrayBuffers }
    }

    await transfer(warmupBytes)
    const figures: RecordingFigures[] = []
    for (const bytes of sizes) figures.push(await transfer(bytes))
    await ask(servers, { type: 'stop' })
    return figures
  } finally {
    await stopChild(servers)
    await removeDataDir()
  }
}
