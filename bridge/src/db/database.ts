import { mkdirSync } from 'node:fs'
import path from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import pg from 'pg'

export interface QueryResult<Row> {
  rows: Row[]
  rowCount: number
}

/** Anything that runs SQL: the database itself or an open transaction. */
export interface Queryable {
  query<Row = Record<string, unknown>>(text: string, params?: unknown[]): Promise<QueryResult<Row>>
  /** Runs several statements without parameters (migrations). */
  exec(text: string): Promise<void>
}

/** The bridge's store: PostgreSQL through `pg`, or the embedded PGlite. */
export interface Database extends Queryable {
  readonly kind: 'postgres' | 'pglite'
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>
  close(): Promise<void>
}

export interface DatabaseOptions {
  databaseUrl?: string
  dataDir: string
  /** PostgreSQL schema for every table (tests isolate themselves with one schema each). */
  schema?: string
}

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  return options.databaseUrl ? openPostgres(options.databaseUrl, options.schema) : openPglite(options.dataDir, options.schema)
}

async function openPostgres(databaseUrl: string, schema?: string): Promise<Database> {
  // The search_path goes in the startup packet, so every pooled connection has it from the start.
  const options = schema ? `-c search_path=${quoteIdent(schema)},public` : undefined
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 10, options })
  if (schema) await pool.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema)}`)
  const wrap = (client: pg.Pool | pg.PoolClient): Queryable => ({
    async query<Row>(text: string, params?: unknown[]) {
      const result = await client.query(text, params)
      return { rows: result.rows as Row[], rowCount: result.rowCount ?? 0 }
    },
    async exec(text: string) {
      await client.query(text)
    },
  })
  return {
    kind: 'postgres',
    ...wrap(pool),
    async transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
      const client = await pool.connect()
      try {
        await client.query('BEGIN')
        const result = await work(wrap(client))
        await client.query('COMMIT')
        return result
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined)
        throw error
      } finally {
        client.release()
      }
    },
    close: () => pool.end(),
  }
}

async function openPglite(dataDir: string, schema?: string): Promise<Database> {
  const folder = path.join(dataDir, 'pglite')
  mkdirSync(folder, { recursive: true })
  const db = await PGlite.create(folder)
  if (schema) await db.exec(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema)}; SET search_path TO ${quoteIdent(schema)}, public`)
  const wrap = (client: Pick<PGlite, 'query' | 'exec'>): Queryable => ({
    async query<Row>(text: string, params?: unknown[]) {
      // Without parameters the simple protocol runs, which also accepts several
      // statements at once, as pg does (pg-boss sends such batches).
      if (params === undefined || params.length === 0) {
        const results = await client.exec(text)
        const last = results[results.length - 1]
        return { rows: (last?.rows ?? []) as Row[], rowCount: countRows(last) }
      }
      const result = await client.query<Row>(text, params)
      return { rows: result.rows, rowCount: countRows(result) }
    },
    async exec(text: string) {
      await client.exec(text)
    },
  })
  return {
    kind: 'pglite',
    ...wrap(db),
    // PGlite has one connection and queues other queries while a transaction is open.
    transaction: <T>(work: (tx: Queryable) => Promise<T>) => db.transaction((tx) => work(wrap(tx))),
    close: () => db.close(),
  }
}

/** PGlite reports affectedRows 0 for a SELECT, where pg's rowCount counts the rows returned. */
function countRows(result: { rows: unknown[]; affectedRows?: number } | undefined): number {
  return Math.max(result?.affectedRows ?? 0, result?.rows.length ?? 0)
}

export function quoteIdent(name: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`invalid SQL identifier "${name}"`)
  return `"${name}"`
}
