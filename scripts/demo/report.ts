export interface DemoRow {
  label: string
  callId: string
  language: string
  caller: string
  outcome: string
  ticket: string
  requester: string
  recording: string
  settled: boolean
  ok: boolean
  problem: string
}

const COLUMNS: Array<[keyof DemoRow, string]> = [
  ['label', 'call'],
  ['language', 'lang'],
  ['caller', 'caller'],
  ['outcome', 'outcome'],
  ['ticket', 'ticket'],
  ['requester', 'requester'],
  ['recording', 'recording'],
]

/** Prints the rows as a plain text table, with a check column that names any problem. */
export function printTable(rows: DemoRow[]): void {
  const cells = rows.map((row) => [...COLUMNS.map(([key]) => String(row[key])), row.ok ? 'ok' : `FAILED: ${row.problem || 'not settled'}`])
  const header = [...COLUMNS.map(([, title]) => title), 'check']
  const widths = header.map((title, index) => Math.max(title.length, ...cells.map((line) => line[index].length)))
  const format = (line: string[]) => line.map((cell, index) => cell.padEnd(widths[index])).join('  ').trimEnd()
  console.log(format(header))
  console.log(widths.map((width) => '-'.repeat(width)).join('  '))
  for (const line of cells) console.log(format(line))
}

/** Prints the follow-the-sun day: when each call came, who took it and which group got the ticket. */
export function printSunTable(rows: Array<{ label: string; at: string; localTimes: string; outcome: string; agent: string; ticket: string; group: string; recording: string; ok: boolean }>): void {
  const header = ['call', 'UTC', 'local times', 'outcome', 'answered by', 'ticket', 'group', 'recording', 'check']
  const cells = rows.map((row) => [row.label, row.at, row.localTimes, row.outcome, row.agent, row.ticket, row.group, row.recording, row.ok ? 'ok' : 'FAILED'])
  const widths = header.map((title, index) => Math.max(title.length, ...cells.map((line) => line[index].length)))
  const format = (line: string[]) => line.map((cell, index) => cell.padEnd(widths[index])).join('  ').trimEnd()
  console.log(format(header))
  console.log(widths.map((width) => '-'.repeat(width)).join('  '))
  for (const line of cells) console.log(format(line))
}
