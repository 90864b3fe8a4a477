import type { SunSetup } from './follow-the-sun'
import { playSunCall, seedFollowTheSun } from './follow-the-sun'

export interface SunRow {
  label: string
  at: string
  localTimes: string
  outcome: string
  agent: string
  ticket: string
  group: string
  recording: string
  ok: boolean
}

const ZONES: Array<[string, string]> = [
  ['Rome', 'Europe/Rome'],
  ['New York', 'America/New_York'],
  ['Manila', 'Asia/Manila'],
]

/** The day's calls and the team expected to take each (null: nobody works, so voicemail). */
const DAY: Array<[label: string, at: string, team: string | null, group: number]> = [
  ['morning in Rome', '2026-12-07T09:30:00Z', 'rome', 101],
  ['evening in Rome', '2026-12-07T18:30:00Z', 'newyork', 102],
  ['nobody on shift', '2026-12-07T23:30:00Z', null, 103],
  ['night in Europe', '2026-12-08T02:30:00Z', 'manila', 103],
]

/** Seeds the three teams, plays the day's calls and reads back who took each. */
export async function playSunDay(setup: SunSetup): Promise<SunRow[]> {
  await seedFollowTheSun(setup)
  const calls = []
  for (const [index, [label, at, team]] of DAY.entries()) calls.push(await playSunCall(setup, label, at, team, `39347123980${index}`))
  setup.setClock(new Date())

  const rows: SunRow[] = []
  for (const [index, call] of calls.entries()) {
    const detail = await waitForLogged(setup, call.callId)
    const agent = await setup.bridge.db.query<{ id: string; name: string; team_id: string }>(
      'SELECT a.id, a.name, a.team_id FROM calls c JOIN agents a ON a.id = c.agent_id WHERE c.id = $1',
      [call.callId],
    )
    const group = await setup.bridge.db.query<{ zendesk_group_id: string | null }>('SELECT zendesk_group_id FROM calls WHERE id = $1', [call.callId])
    const team = agent.rows[0]?.team_id ?? null
    const groupId = group.rows[0]?.zendesk_group_id ?? null
    rows.push({
      label: call.label,
      at: call.at.slice(0, 16).replace('T', ' '),
      localTimes: ZONES.map(([name, zone]) => `${name} ${localTime(call.at, zone)}`).join(', '),
      outcome: detail.outcome ?? '-',
      agent: agent.rows[0] ? `${agent.rows[0].name} (${team})` : '-',
      ticket: detail.zendesk?.ticket_id ? `#${detail.zendesk.ticket_id}` : '-',
      group: groupId === null ? '-' : String(groupId),
      recording: describeRecordings(detail.recordings ?? []),
      ok:
        team === call.expectTeam &&
        Number(groupId) === DAY[index][3] &&
        detail.zendesk?.state === 'logged' &&
        (detail.recordings ?? []).some((recording: { state: string }) => recording.state === 'attached'),
    })
  }
  return rows
}

async function waitForLogged(setup: SunSetup, callId: string): Promise<any> {
  const deadline = Date.now() + 60_000
  for (;;) {
    const response = await setup.bridge.app.inject({ method: 'GET', url: `/api/calls/${callId}`, headers: { authorization: `Bearer ${setup.apiToken}` } })
    const detail = response.json()
    const recordingsDone = (detail.recordings ?? []).every((recording: { state: string }) => recording.state !== 'pending')
    if ((['logged', 'failed'].includes(detail.zendesk?.state) && recordingsDone) || Date.now() > deadline) return detail
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
}

function describeRecordings(recordings: Array<{ state: string }>): string {
  if (recordings.length === 0) return '-'
  return `${recordings.filter((recording) => recording.state === 'attached').length}/${recordings.length} attached`
}

function localTime(at: string, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', weekday: 'short' }).format(new Date(at))
}
