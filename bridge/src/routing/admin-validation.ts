import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv'
import addFormats from 'ajv-formats'
import type { FastifyInstance, FastifySchemaCompiler } from 'fastify'

/**
 * Request validation for the routing admin API. It differs from Fastify's default Ajv in
 * four ways. Unknown fields are rejected instead of silently removed. Every error is
 * reported, not only the first. Bodies are not coerced, so "30" is no integer. Unions
 * tagged by `type` (IVR nodes, devices, overflows, rules) validate as discriminated
 * unions, so an error names the one node type that was meant and Ajv fills the defaults
 * inside it (Ajv ignores defaults inside a plain anyOf).
 */
const AJV_OPTIONS = { allErrors: true, verbose: true, useDefaults: true, removeAdditional: false, discriminator: true, strict: true } as const
const bodyAjv = addFormats(new Ajv({ ...AJV_OPTIONS, coerceTypes: false }))
// Query strings and path parameters arrive as text, so these are coerced as Fastify does.
const urlAjv = addFormats(new Ajv({ ...AJV_OPTIONS, coerceTypes: 'array' }))
const compiled = { body: new WeakMap<object, ValidateFunction>(), url: new WeakMap<object, ValidateFunction>() }

export const adminValidatorCompiler: FastifySchemaCompiler<unknown> = ({ schema, httpPart }) => {
  const part = httpPart === 'body' ? 'body' : 'url'
  const cached = compiled[part].get(schema as object)
  if (cached) return cached
  const validate = (part === 'body' ? bodyAjv : urlAjv).compile(prepareSchema(schema) as object)
  compiled[part].set(schema as object, validate)
  return validate
}

/**
 * Copies a TypeBox schema for Ajv. Records get `additionalProperties: false`, so a key that
 * misses the key pattern is an error instead of an unchecked value. An anyOf whose branches
 * are all objects tagged by a `type` constant becomes a discriminated oneOf.
 */
export function prepareSchema(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(prepareSchema)
  if (schema === null || typeof schema !== 'object') return schema
  const copy: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(schema)) copy[key] = prepareSchema(value)

  if (copy.patternProperties !== undefined && copy.additionalProperties === undefined) copy.additionalProperties = false
  if (Array.isArray(copy.anyOf) && copy.anyOf.length > 1 && copy.anyOf.every(isTaggedObject)) {
    const { anyOf: branches, ...rest } = copy
    return { ...rest, type: 'object', discriminator: { propertyName: 'type' }, oneOf: branches }
  }
  return copy
}

function isTaggedObject(schema: unknown): boolean {
  const candidate = schema as { type?: unknown; required?: unknown; properties?: { type?: { const?: unknown } } }
  return (
    candidate.type === 'object' &&
    Array.isArray(candidate.required) &&
    candidate.required.includes('type') &&
    typeof candidate.properties?.type?.const === 'string'
  )
}

/**
 * Builds the message of a 400: one clause per problem, each naming the field, what it
 * must be, and the value received, such as
 * `body/shifts/0/start must match pattern "HH:MM"; got "9:00"`.
 */
export const formatValidationErrors: Parameters<FastifyInstance['setSchemaErrorFormatter']>[0] = (errors, dataVar) => {
  const clauses = describeValidationErrors(errors as ErrorObject[], dataVar).map((described) => described.clause)
  return new Error([...new Set(clauses)].join('; '))
}

/**
 * Returns each Ajv error with its clause of a 400's message, after the errors of untagged
 * unions are merged as `formatValidationErrors` merges them. Clauses may repeat.
 */
export function describeValidationErrors(errors: ErrorObject[], dataVar: string): Array<{ error: ErrorObject; clause: string }> {
  return resolveUnions(errors).map((error) => ({ error, clause: describeError(error, dataVar) }))
}

/**
 * Replaces the errors of each untagged anyOf (a literal union such as a language, or a
 * value or null) with the errors of the branches whose type fits the value. When no branch
 * fits, one error lists the accepted values instead.
 */
function resolveUnions(errors: ErrorObject[]): ErrorObject[] {
  let result = errors
  const unions = errors.filter((error) => error.keyword === 'anyOf').sort((a, b) => b.schemaPath.length - a.schemaPath.length)
  for (const union of unions) {
    const branches = union.schema as unknown[]
    const prefix = `${union.schemaPath}/`
    const within = (error: ErrorObject) =>
      error.schemaPath.startsWith(prefix) && (error.instancePath === union.instancePath || error.instancePath.startsWith(`${union.instancePath}/`))
    const fitting = new Set(branches.flatMap((branch, index) => (fitsBranch(branch, union.data) ? [String(index)] : [])))
    const replacement: ErrorObject[] =
      fitting.size > 0
        ? []
        : [{ ...union, keyword: 'oneOfValues', message: `must be one of ${branches.map(describeBranch).join(', ')}` }]
    result = result.flatMap((error) => {
      if (error === union) return replacement
      if (!within(error)) return [error]
      const branchIndex = error.schemaPath.slice(prefix.length).split('/')[0]
      return fitting.has(branchIndex) ? [error] : []
    })
  }
  return result
}

/** Checks whether a value has the JSON type, or equals the constant, of a union branch. */
function fitsBranch(branch: unknown, value: unknown): boolean {
  const schema = branch as { const?: unknown; type?: string }
  if ('const' in schema) return value === schema.const
  switch (schema.type) {
    case 'null':
      return value === null
    case 'integer':
    case 'number':
      return typeof value === 'number'
    case 'string':
      return typeof value === 'string'
    case 'boolean':
      return typeof value === 'boolean'
    case 'array':
      return Array.isArray(value)
    case 'object':
      return value !== null && typeof value === 'object' && !Array.isArray(value)
    default:
      return true
  }
}

function describeBranch(branch: unknown): string {
  const schema = branch as { const?: unknown; type?: string }
  if ('const' in schema) return JSON.stringify(schema.const)
  return schema.type ?? 'any value'
}

function describeError(error: ErrorObject, dataVar: string): string {
  const path = `${dataVar}${error.instancePath}`
  const parentSchema = (error.parentSchema ?? {}) as { description?: string; patternProperties?: object; oneOf?: unknown[] }
  const params = error.params as Record<string, unknown>
  switch (error.keyword) {
    case 'required':
      return `${path}/${String(params.missingProperty)} is missing`
    case 'additionalProperties': {
      const key = String(params.additionalProperty)
      if (parentSchema.patternProperties) {
        return `${path} key ${JSON.stringify(key)} must match pattern ${Object.keys(parentSchema.patternProperties).map((pattern) => `"${pattern}"`).join(' or ')}`
      }
      return `${path} has unknown field ${JSON.stringify(key)}`
    }
    case 'discriminator': {
      const types = (parentSchema.oneOf ?? []).map((branch) => JSON.stringify((branch as { properties: { type: { const: string } } }).properties.type.const))
      if (params.error === 'tag' && params.tagValue === undefined) return `${path}/type is missing: use one of ${types.join(', ')}`
      return `${path}/type must be one of ${types.join(', ')}; got ${describeValue(params.tagValue)}`
    }
    case 'pattern':
      return `${path} must match pattern "${parentSchema.description ?? String(params.pattern)}"; got ${describeValue(error.data)}`
    default:
      return `${path} ${error.message ?? 'is invalid'}; got ${describeValue(error.data)}`
  }
}

const MAX_VALUE_LENGTH = 80

function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing'
  const text = JSON.stringify(value)
  return text.length > MAX_VALUE_LENGTH ? `${text.slice(0, MAX_VALUE_LENGTH - 3)}...` : text
}
