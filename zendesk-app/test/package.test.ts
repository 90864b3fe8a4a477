// @vitest-environment node
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { checkAppPackage } from '../../scripts/app/check-package'
import { createZip, listZip } from '../../scripts/app/zip'

const ROOT = path.join(__dirname, '..', '..')
let copy: string

function packageCopy(): string {
  copy = mkdtempSync(path.join(tmpdir(), 'centralino-package-'))
  for (const item of ['manifest.json', 'assets', 'translations']) cpSync(path.join(ROOT, item), path.join(copy, item), { recursive: true })
  return copy
}

function editJson(file: string, edit: (json: any) => void): void {
  const json = JSON.parse(readFileSync(file, 'utf8'))
  edit(json)
  writeFileSync(file, JSON.stringify(json))
}

afterEach(() => rmSync(copy, { recursive: true, force: true }))

describe('app package checks', () => {
  it('passes for the repository package', () => {
    expect(checkAppPackage(packageCopy())).toEqual([])
  })

  it('rejects refused files and missing icons', () => {
    const root = packageCopy()
    writeFileSync(path.join(root, 'assets', 'ring.mp3'), 'ID3')
    rmSync(path.join(root, 'assets', 'icon_top_bar.svg'))
    expect(checkAppPackage(root)).toEqual([
      'assets/icon_top_bar.svg is missing for location top_bar',
      "assets/ring.mp3 has a type Zendesk's validator refuses (.mp3)",
    ])
  })

  it('rejects bad manifest fields and parameters', () => {
    const root = packageCopy()
    editJson(path.join(root, 'manifest.json'), (manifest) => {
      manifest.frameworkVersion = '1.0'
      manifest.signedUrls = 'yes'
      manifest.parameters.push({ name: 'api_token', type: 'text' }, { name: 'mode', type: 'select' })
      manifest.location.support.ticket_sidebar.url = 'http://bridge.example/app'
    })
    const problems = checkAppPackage(root)
    expect(problems).toContain('manifest.json: "frameworkVersion" is "1.0", expected "2.0"')
    expect(problems).toContain('manifest.json: "signedUrls" must be true or false, not "yes"')
    expect(problems).toContain('manifest.json: parameter api_token looks secret, so it must be "secure": true')
    expect(problems).toContain('manifest.json: parameter mode has type "select", expected one of text, checkbox, url, number, multiline, hidden, oauth')
    expect(problems).toContain('manifest.json: location ticket_sidebar url http://bridge.example/app must be https, start with {{setting.name}} or with assets/')
  })

  it('names translation keys missing in one language', () => {
    const root = packageCopy()
    editJson(path.join(root, 'translations', 'it.json'), (catalog) => delete catalog.ui.log.export)
    expect(checkAppPackage(root)).toEqual(['translations/it.json: key ui.log.export is missing'])
  })

  it('writes a zip that lists its files', () => {
    const zip = createZip([{ name: 'manifest.json', data: Buffer.from('{}') }, { name: 'assets/logo.png', data: Buffer.alloc(10) }])
    expect(listZip(zip)).toEqual(['manifest.json', 'assets/logo.png'])
  })
})
