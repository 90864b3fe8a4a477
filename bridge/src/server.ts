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
  const bridge = await startBridge(config, { log }).catch((error: Error) => {
    const where = config.databaseUrl ? `the database at DATABASE_URL (${safeDatabaseTarget(config.databaseUrl)})` : `the embedded database in ${config.dataDir}`
    process.stderr.write(`Centralino bridge cannot open ${where}: ${error.message}\n`)
    process.exit(1)
  })
  closeWithGrace({ delay: 25_000 }, async ({ signal, err }) => {
    if (err) log.error({ err }, 'stopping after an uncaught error')
    log.info({ signal }, 'stopping: draining requests and jobs')
    await bridge.close()
    log.info('stopped')
  })
  await bridge.app.listen({ port: config.port, host: config.host })
}

/** Host, port and database of a PostgreSQL URL, without the user or password. */
function safeDatabaseTarget(databaseUrl: string): string {
  try {
    const url = new URL(databaseUrl)
    return `${url.hostname}:${url.port || 5432}${url.pathname}`
  } catch {
    return 'unparseable URL'
  }
}

main().catch((error) => {
  process.stderr.write(`Centralino bridge failed to start: ${error instanceof Error ? error.stack : String(error)}\n`)
  process.exit(1)
})
