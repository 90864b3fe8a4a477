import closeWithGrace from 'close-with-grace'
import { startBridge } from './bridge'
import { ConfigError, loadConfig } from './config'
import { createLogger } from './logger'

async function main(): Promise<void> {
  let config
  try {
    config = loadConfig()
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error
    process.stderr.write(`Centralino bridge cannot start.\n${error.message}\nSee README.md, section Configuration.\n`)
    process.exit(1)
  }
  const log = createLogger(config.logLevel)
  const bridge = await startBridge(config, { log })
  closeWithGrace({ delay: 25_000 }, async ({ signal, err }) => {
    if (err) log.error({ err }, 'stopping after an uncaught error')
    log.info({ signal }, 'stopping: draining requests and jobs')
    await bridge.close()
    log.info('stopped')
  })
  await bridge.app.listen({ port: config.port, host: config.host })
}

main().catch((error) => {
  process.stderr.write(`Centralino bridge failed to start: ${error instanceof Error ? error.stack : String(error)}\n`)
  process.exit(1)
})
