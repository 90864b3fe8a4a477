import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { checkAppPackage, packageFiles } from './check-package'
import { createZip, listZip } from './zip'

/**
 * Builds tmp/centralino-zendesk-app.zip from the root manifest.json, translations/ and
 * assets/, after the offline package checks pass. The app's pages are served by the
 * bridge (signed URLs), so the zip contains no scripts.
 */
function main(): void {
  const root = path.resolve(__dirname, '..', '..')
  const problems = checkAppPackage(root)
  if (problems.length > 0) {
    console.error(`Not packaging: ${problems.length} problem(s):\n${problems.map((problem) => `  - ${problem}`).join('\n')}`)
    process.exit(1)
  }
  const files = packageFiles(root).map((name) => ({ name, data: readFileSync(path.join(root, name)) }))
  const zip = createZip(files)
  const output = path.join(root, 'tmp', 'centralino-zendesk-app.zip')
  mkdirSync(path.dirname(output), { recursive: true })
  writeFileSync(output, zip)
  console.log(`Wrote ${path.relative(root, output)} (${zip.length} bytes): ${listZip(zip).join(', ')}`)
}

main()
