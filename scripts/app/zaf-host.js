// A stand-in for the Zendesk agent workspace around one app iframe. It speaks the ZAF SDK's
// postMessage protocol (zendesk_app_framework_sdk 2.0: handshake, app.registered, get, set,
// invoke, request and events) and replies with data from the Zendesk stand-in through /zendesk.
/* global HARNESS */
(function () {
  const frame = document.getElementById('app')
  const bridgeOrigin = new URL(HARNESS.bridgeUrl).origin
  const log = document.getElementById('host-log')
  const note = (text) => {
    const line = document.createElement('div')
    line.textContent = text
    log.prepend(line)
  }
  const send = (message) => frame.contentWindow.postMessage(JSON.stringify(message), bridgeOrigin)
  const zendesk = async (path, init) => {
    const response = await fetch(`/zendesk${path}`, init)
    const body = await response.json().catch(() => null)
    if (!response.ok) throw Object.assign(new Error(`Zendesk returned ${response.status}`), { status: response.status, responseText: JSON.stringify(body) })
    return body
  }
  const currentUser = { id: HARNESS.user.id, name: HARNESS.user.name, role: HARNESS.user.role, locale: HARNESS.locale, timeZone: { ianaName: HARNESS.timeZone } }

  async function get(path) {
    if (path === 'currentUser') return currentUser
    if (path === 'currentAccount') return { subdomain: 'demo' }
    if (path === 'ticket.id') return HARNESS.ticketId
    if (path === 'ticket.requester') {
      const ticket = (await zendesk(`/api/v2/tickets/${HARNESS.ticketId}.json`)).ticket
      return (await zendesk(`/api/v2/users/${ticket.requester_id}.json`)).user
    }
    if (path === 'instances') return {}
    throw new Error(`unsupported get ${path}`)
  }

  async function handle(data) {
    if (data.key === 'iframe.handshake') {
      send({ key: 'zaf.app.registered', message: { context: { location: HARNESS.location, ticketId: HARNESS.ticketId, currentUser }, metadata: { settings: { bridge_url: HARNESS.bridgeUrl } } } })
      return
    }
    if (data.request === 'get') {
      const result = {}
      for (const path of data.params) result[path] = await get(path)
      send({ id: data.id, result })
      return
    }
    if (data.request === 'set') {
      const requester = data.params['ticket.requester']
      if (requester) await zendesk(`/api/v2/tickets/${HARNESS.ticketId}.json`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ticket: { requester_id: requester.id } }) })
      note(`set ${Object.keys(data.params).join(', ')}`)
      send({ id: data.id, result: {} })
      return
    }
    if (data.request === 'invoke') {
      for (const [name, args] of Object.entries(data.params)) {
        if (name === 'resize') frame.style.height = args[0].height
        else note(`invoke ${name} ${JSON.stringify(args)}`)
      }
      send({ id: data.id, result: {} })
      return
    }
    if (typeof data.key === 'string' && data.key.startsWith('request:')) {
      const options = data.message
      try {
        const body = await zendesk(options.url, { method: options.type || 'GET', headers: options.contentType ? { 'content-type': options.contentType } : {}, body: options.data })
        send({ key: `zaf.${data.key}.done`, message: { responseArgs: [body] } })
      } catch (error) {
        send({ key: `zaf.${data.key}.fail`, message: { responseArgs: [{ status: error.status, responseText: error.responseText, message: error.message }] } })
      }
    }
  }

  window.addEventListener('message', (event) => {
    if (event.source !== frame.contentWindow || event.origin !== bridgeOrigin) return
    let data = event.data
    try {
      data = typeof data === 'string' ? JSON.parse(data) : data
    } catch {
      return
    }
    handle(data).catch((error) => {
      if (data.id) send({ id: data.id, error: { name: 'Error', message: error.message } })
      note(`error: ${error.message}`)
    })
  })

  const dial = document.getElementById('dial-out')
  if (dial) dial.addEventListener('click', () => send({ key: 'zaf.voice.dialout', message: { number: HARNESS.dialNumber } }))
  document.getElementById('launch').submit()
})()
