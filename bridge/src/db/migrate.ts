import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { Umzug, type UmzugStorage } from 'umzug'
import type { Logger } from 'pino'
import type { Database } from './database'

const MIGRATIONS_DIR = path.join(__dirname, 'migrations')
// Any constant works; it only has to be the same for every bridge instance.
const MIGRATION_LOCK_KEY = 7_310_402_001

/**
 * Applies pending SQL migrations in file-name order with Umzug. Each file runs in one
 * transaction together with its row in schema_migrations, so a crash never leaves a
 * migration half applied. Inside that transaction an advisory lock makes a second
 * instance that starts at the same moment wait, then skip what the first applied.
 */
export async function migrate(db: Database, log: Logger): Promise<string[]> {
  await db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    name text PRIMARY KEY,
    applied_at timestamptz NOT NULL DEFAULT now()
  )`)
  const umzug = new Umzug({
    migrations: listMigrations(db),
    storage: migrationTable(db),
    logger: {
      info: (event) => log.info(event, 'migration'),
      warn: (event) => log.warn(event, 'migration'),
      error: (event) => log.error(event, 'migration'),
      debug: () => undefined,
    },
  })
  const applied = await umzug.up()
  return applied.map((migration) => migration.name)
}

/** Names of migrations that exist in the code but are not applied (for /readyz). */
export async function pendingMigrations(db: Database): Promise<string[]> {
  const applied = await migrationTable(db).executed({ context: undefined })
  return migrationFiles().filter((name) => !applied.includes(name))
}

function migrationFiles(): string[] {
  return readdirSync(MIGRATIONS_DIR).filter((file) => file.endsWith('.sql')).sort()
}

function listMigrations(db: Database) {
  return migrationFiles().map((name) => ({
    name,
    up: async () => {
      const sql = readFileSync(path.join(MIGRATIONS_DIR, name), 'utf8')
      await db.transaction(async (tx) => {
        if (db.kind === 'postgres') await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY])
        const done = await tx.query('SELECT 1 FROM schema_migrations WHERE name = $1', [name])
        if (done.rowCount > 0) return
        await tx.exec(sql)
        await tx.query('INSERT INTO schema_migrations (name) VALUES ($1)', [name])
      })
    },
    down: async () => {
      throw new Error(`migration ${name} has no down step: restore from a backup instead`)
    },
  }))
}

/** Umzug storage over schema_migrations; the row is written by the migration's own transaction. */
function migrationTable(db: Database): UmzugStorage {
  return {
    logMigration: async () => undefined,
    unlogMigration: async ({ name }) => {
      await db.query('DELETE FROM schema_migrations WHERE name = $1', [name])
    },
    executed: async () => {
      const result = await db.query<{ name: string }>('SELECT name FROM schema_migrations ORDER BY name')
      return result.rows.map((row) => row.name)
    },
  }
}
