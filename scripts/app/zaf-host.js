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

  // The user sidebar sits on a user's profile, so it has the `user` object and no ticket.
  const onUserProfile = HARNESS.location === 'user_sidebar'

  // Builds the profile user as ZAF's User object from the stand-in's user record and identities.
  // NOTE: only these properties are filled. Whether ZAF's User object has `phone` is unverified,
  // so here it is the REST record's field.
  async function profileUser() {
    const id = HARNESS.profileUserId
    const [{ user }, { identities }] = await Promise.all([zendesk(`/api/v2/users/${id}.json`), zendesk(`/api/v2/users/${id}/identities.json`)])
    return {
      id: user.id,
      name: user.name,
      email: user.email,
      phone: user.phone,
      externalId: user.external_id,
      locale: user.locale,
      role: user.role,
      identities: identities.map((identity) => ({ id: identity.id, type: identity.type, value: identity.value })),
    }
  }

  async function getUser(path) {
    if (path === 'user.id') return HARNESS.profileUserId
    let value = await profileUser()
    for (const key of path.split('.').slice(1)) {
      if (value === null || typeof value !== 'object' || !(key in value)) throw new Error(`unsupported get ${path}`)
      value = value[key]
    }
    return value
  }

  async function get(path) {
    if (path === 'currentUser') return currentUser
    if (path === 'currentAccount') return { subdomain: 'demo' }
    if (path === 'user' || path.startsWith('user.')) {
      if (!onUserProfile) throw new Error(`get ${path} is only available in user_sidebar, not in ${HARNESS.location}`)
      return getUser(path)
    }
    if (onUserProfile && path.startsWith('ticket')) throw new Error(`get ${path} is not available in user_sidebar`)
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
      const context = onUserProfile ? { location: HARNESS.location, currentUser } : { location: HARNESS.location, ticketId: HARNESS.ticketId, currentUser }
      send({ key: 'zaf.app.registered', message: { context, metadata: { settings: { bridge_url: HARNESS.bridgeUrl } } } })
      return
    }
    if (data.request === 'get') {
      const result = {}
      for (const path of data.params) result[path] = await get(path)
      send({ id: data.id, result })
      return
    }
    if (data.request === 'set') {
      if (onUserProfile && Object.keys(data.params).some((path) => path.startsWith('ticket'))) throw new Error('set ticket.* is not available in user_sidebar')
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
