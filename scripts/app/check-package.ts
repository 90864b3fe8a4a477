import { existsSync, lstatSync, readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'

/**
 * Offline checks of the Zendesk app package, after the rules of Zendesk's validator
 * (zendesk_apps_support 4.52: manifest.rb, location.rb, validations/*.rb), because
 * `zcli apps:validate` needs a live account. Returns the problems; empty means valid.
 */
export function checkAppPackage(root: string): string[] {
  const problems: string[] = []
  const manifestFile = path.join(root, 'manifest.json')
  if (!existsSync(manifestFile)) return [`manifest.json is missing in ${root}`]
  let manifest: Record<string, any>
  try {
    manifest = JSON.parse(readFileSync(manifestFile, 'utf8'))
  } catch (error) {
    return [`manifest.json is not valid JSON: ${(error as Error).message}`]
  }
  checkManifestFields(manifest, problems)
  checkLocations(root, manifest, problems)
  checkParameters(manifest, problems)
  checkFiles(root, problems)
  checkTranslations(root, manifest, problems)
  return problems
}

const KNOWN_KEYS = ['name', 'author', 'defaultLocale', 'private', 'location', 'version', 'frameworkVersion', 'parameters', 'domainWhitelist', 'signedUrls', 'singleInstall', 'requirementsOnly', 'marketingOnly', 'oauth', 'experiments', 'remoteInstallationURL', 'termsConditionsURL', 'gaID']
const LOCATIONS = ['top_bar', 'nav_bar', 'ticket_sidebar', 'new_ticket_sidebar', 'user_sidebar', 'organization_sidebar', 'ticket_editor', 'background', 'modal', 'system_top_bar']
const ICON_LOCATIONS = ['top_bar', 'nav_bar', 'system_top_bar', 'ticket_editor']
const PARAMETER_TYPES = ['text', 'checkbox', 'url', 'number', 'multiline', 'hidden', 'oauth']
// Zendesk's validator rejects these types inside a package (validations/mime.rb).
const REFUSED_EXTENSIONS = ['.mp3', '.zip', '.pdf', '.exe', '.dmg', '.jar', '.tar', '.gz', '.rar', '.7z', '.mov', '.mp4', '.avi']

function checkManifestFields(manifest: Record<string, any>, problems: string[]): void {
  for (const key of Object.keys(manifest)) if (!KNOWN_KEYS.includes(key)) problems.push(`manifest.json: unknown key "${key}"`)
  if (typeof manifest.name !== 'string' || manifest.name === '') problems.push('manifest.json: "name" must be a non-empty string')
  if (typeof manifest.author?.name !== 'string' || typeof manifest.author?.email !== 'string') problems.push('manifest.json: "author" needs "name" and "email" strings')
  if (typeof manifest.defaultLocale !== 'string') problems.push('manifest.json: "defaultLocale" is missing')
  if (manifest.frameworkVersion !== '2.0') problems.push(`manifest.json: "frameworkVersion" is ${JSON.stringify(manifest.frameworkVersion)}, expected "2.0"`)
  if (typeof manifest.version !== 'string' || !/^\d+\.\d+\.\d+$/.test(manifest.version)) problems.push('manifest.json: "version" must be semver such as 1.2.3')
  for (const key of ['private', 'signedUrls', 'singleInstall']) {
    if (key in manifest && typeof manifest[key] !== 'boolean') problems.push(`manifest.json: "${key}" must be true or false, not ${JSON.stringify(manifest[key])}`)
  }
}

function checkLocations(root: string, manifest: Record<string, any>, problems: string[]): void {
  const support = manifest.location?.support
  if (!support || typeof support !== 'object') {
    problems.push('manifest.json: "location.support" is missing')
    return
  }
  for (const [name, value] of Object.entries<any>(support)) {
    if (!LOCATIONS.includes(name)) problems.push(`manifest.json: unknown location "${name}"`)
    const url = typeof value === 'string' ? value : value?.url
    if (typeof url !== 'string' || url === '') problems.push(`manifest.json: location ${name} has no url`)
    else if (url.startsWith('assets/')) {
      if (!existsSync(path.join(root, url))) problems.push(`manifest.json: location ${name} points to ${url}, which is missing`)
    } else if (!/^https:\/\//.test(url) && !/^\{\{setting\.\w+\}\}/.test(url) && !/^http:\/\/localhost[:/]/.test(url)) {
      problems.push(`manifest.json: location ${name} url ${url} must be https, start with {{setting.name}} or with assets/`)
    }
    const setting = /^\{\{setting\.(\w+)\}\}/.exec(url ?? '')?.[1]
    if (setting && !(manifest.parameters ?? []).some((parameter: { name: string }) => parameter.name === setting)) {
      problems.push(`manifest.json: location ${name} uses {{setting.${setting}}}, which no parameter defines`)
    }
    if (typeof value === 'object') {
      for (const flag of ['flexible', 'signed', 'autoLoad', 'autoHide']) {
        if (flag in value && typeof value[flag] !== 'boolean') problems.push(`manifest.json: location ${name}.${flag} must be true or false`)
      }
    }
    if (ICON_LOCATIONS.includes(name) && !existsSync(path.join(root, 'assets', `icon_${name}.svg`))) problems.push(`assets/icon_${name}.svg is missing for location ${name}`)
  }
}

function checkParameters(manifest: Record<string, any>, problems: string[]): void {
  const names = new Set<string>()
  for (const parameter of manifest.parameters ?? []) {
    if (typeof parameter.name !== 'string' || parameter.name === '' || parameter.name === 'name') problems.push(`manifest.json: invalid parameter name ${JSON.stringify(parameter.name)}`)
    if (names.has(parameter.name)) problems.push(`manifest.json: parameter ${parameter.name} is defined twice`)
    names.add(parameter.name)
    if (!PARAMETER_TYPES.includes(parameter.type)) problems.push(`manifest.json: parameter ${parameter.name} has type ${JSON.stringify(parameter.type)}, expected one of ${PARAMETER_TYPES.join(', ')}`)
    if (parameter.type === 'hidden' && parameter.required) problems.push(`manifest.json: hidden parameter ${parameter.name} cannot be required`)
    if (/token|key|secret|password/i.test(parameter.name) && parameter.secure !== true) problems.push(`manifest.json: parameter ${parameter.name} looks secret, so it must be "secure": true`)
    if ('scopes' in parameter && parameter.secure !== true) problems.push(`manifest.json: parameter ${parameter.name} has scopes but is not secure`)
  }
}

function checkFiles(root: string, problems: string[]): void {
  for (const file of packageFiles(root)) {
    const full = path.join(root, file)
    if (lstatSync(full).isSymbolicLink()) problems.push(`${file} is a symbolic link, which Zendesk refuses`)
    if (REFUSED_EXTENSIONS.includes(path.extname(file).toLowerCase())) problems.push(`${file} has a type Zendesk's validator refuses (${path.extname(file)})`)
    const text = /\.(js|html|json|svg|css)$/.test(file) ? readFileSync(full, 'utf8') : ''
    if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(text)) problems.push(`${file} contains a private key`)
  }
  for (const logo of ['assets/logo.png', 'assets/logo-small.png']) if (!existsSync(path.join(root, logo))) problems.push(`${logo} is missing`)
}

function checkTranslations(root: string, manifest: Record<string, any>, problems: string[]): void {
  const folder = path.join(root, 'translations')
  const files = existsSync(folder) ? readdirSync(folder).filter((file) => file.endsWith('.json')) : []
  if (!files.includes(`${manifest.defaultLocale}.json`)) problems.push(`translations/${manifest.defaultLocale}.json is missing for defaultLocale`)
  const catalogs = new Map<string, Record<string, unknown>>()
  for (const file of files) {
    if (!/^[a-z]{2,3}(-\w{2,3})?\.json$/.test(file)) problems.push(`translations/${file}: the file name is not a locale such as it.json or pt-br.json`)
    try {
      catalogs.set(file, JSON.parse(readFileSync(path.join(folder, file), 'utf8')))
    } catch (error) {
      problems.push(`translations/${file} is not valid JSON: ${(error as Error).message}`)
    }
  }
  const english = catalogs.get('en.json') as Record<string, any> | undefined
  if (english) {
    if (typeof english.app?.name !== 'string') problems.push('translations/en.json: app.name is missing')
    for (const parameter of manifest.parameters ?? []) {
      if (typeof english.app?.parameters?.[parameter.name]?.label !== 'string') problems.push(`translations/en.json: app.parameters.${parameter.name}.label is missing`)
    }
  }
  const keysOf = (tree: unknown, prefix = ''): string[] =>
    tree && typeof tree === 'object' ? Object.entries(tree).flatMap(([key, value]) => (typeof value === 'string' ? [`${prefix}${key}`] : keysOf(value, `${prefix}${key}.`))) : []
  const all = new Set([...catalogs.values()].flatMap((catalog) => keysOf(catalog)))
  for (const [file, catalog] of catalogs) {
    const own = new Set(keysOf(catalog))
    for (const key of all) if (!own.has(key)) problems.push(`translations/${file}: key ${key} is missing`)
  }
}

/** Files that go into the package: the manifest, translations/ and assets/. */
export function packageFiles(root: string): string[] {
  const files = ['manifest.json']
  for (const folder of ['translations', 'assets']) {
    const full = path.join(root, folder)
    if (!existsSync(full)) continue
    for (const entry of readdirSync(full, { recursive: true, withFileTypes: true })) {
      if (entry.isFile() || entry.isSymbolicLink()) files.push(path.relative(root, path.join(entry.parentPath, entry.name)))
    }
  }
  return files.sort()
}

if (require.main === module) {
  const root = path.resolve(process.argv[2] ?? path.join(__dirname, '..', '..'))
  const problems = checkAppPackage(root)
  if (problems.length > 0) {
    console.error(`The Zendesk app package in ${root} has ${problems.length} problem(s):\n${problems.map((problem) => `  - ${problem}`).join('\n')}`)
    process.exit(1)
  }
  console.log(`The Zendesk app package in ${root} passes the offline checks (${packageFiles(root).length} files).`)
}
