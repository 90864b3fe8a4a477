/**
 * `npm run bench`: measures the bridge on this machine and prints a Markdown summary.
 * 1. Answer-webhook latency, on PGlite and on PostgreSQL when one is reachable.
 * 2. Status events stored per second, on the same databases.
 * 3. Peak RSS growth while a recording streams from Vonage to Zendesk, for two file sizes.
 * 4. Routing decision and assignment time with 5,000 agents and 200 queues.
 * 5. Report time on a generated year of 1,000,000 calls, for a month and for the year.
 * Everything runs on 127.0.0.1. Every run is bounded by a request count and a deadline.
 * BENCH_DATABASE_URL selects the PostgreSQL database (default postgres://postgres@127.0.0.1:5432/test).
 */
import { probePostgres, redactPassword } from './bench-bridge'
import { runPendingCleanups } from './cleanup'
import { describeMachine, loadAverage } from './machine'
import { runRecordingBench, type RecordingFigures } from './recording-bench'
import { REPORT_CALLS, REPORT_RUNS, runReportBench, type ReportFigures } from './report-bench'
import { ROUTING_SIZE, runRoutingBench, type RoutingFigures } from './routing-bench'
import { formatCount, formatMebibytes, formatMs, type LatencySummary } from './stats'
import { runWebhookBench, type RunFigures, type WebhookBenchResult, type WebhookBenchSettings } from './webhook-bench'

const MIB = 1024 * 1024
const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/test'

const WEBHOOK_SETTINGS: WebhookBenchSettings = {
  warmupAnswers: 200,
  answers: 2000,
  answerConcurrency: 10,
  eventCalls: 500,
  eventConcurrency: 20,
  runDeadlineMs: 60_000,
}
const RECORDING_SIZES = [20 * MIB, 200 * MIB]
const RECORDING_WARMUP_BYTES = 5 * MIB
/**
 * The whole run ends with exit code 1 after this long, whatever is still running. In one
 * run on a 2-core machine, the report section alone took about 100 s on PGlite and 90 s
 * on PostgreSQL, most of it generating the million calls.
 */
const TOTAL_DEADLINE_MS = 10 * 60_000
const CLEANUP_TIMEOUT_MS = 20_000

interface DatabaseSection {
  label: string
  result?: WebhookBenchResult
  skipped?: string
}

function describeRun(name: string, run: RunFigures): string {
  const parts = [`${name}: ${formatCount(run.requests)} of ${formatCount(run.planned)} sent in ${(run.elapsedMs / 1000).toFixed(1)} s`]
  if (run.latency) {
    const { p50, p90, p99, max } = run.latency
    parts.push(`p50 ${formatMs(p50)} ms, p90 ${formatMs(p90)} ms, p99 ${formatMs(p99)} ms, max ${formatMs(max)} ms`)
  }
  if (run.failures > 0) parts.push(`${formatCount(run.failures)} FAILED, first: ${run.firstFailure}`)
  if (run.stoppedAtDeadline) parts.push('stopped at the deadline before all requests were sent')
  return parts.join('; ')
}

async function benchDatabase(label: string, databaseUrl?: string): Promise<DatabaseSection> {
  console.log(`\n## ${label}`)
  const result = await runWebhookBench(WEBHOOK_SETTINGS, databaseUrl)
  console.log(describeRun('answers', result.answers))
  console.log(`${describeRun('status events', result.events)}; ${result.events.perSecond.toFixed(0)} events stored/s`)
  console.log('checked: call_events has one row per webhook that returned success')
  if (result.warnings > 0) console.log(`the bridge logged ${result.warnings} warnings or errors (the first ones are on stderr)`)
  return { label, result }
}

/** Formats one figure of a run, marking failed or unsent requests so a partial figure is not mistaken for a full one. */
function cell(run: RunFigures, pick: (latency: LatencySummary) => string): string {
  const value = run.latency ? pick(run.latency) : 'n/a'
  const notes: string[] = []
  if (run.failures > 0) notes.push(`${formatCount(run.failures)} failed`)
  if (run.requests < run.planned) notes.push(`${formatCount(run.planned - run.requests)} not sent`)
  return notes.length > 0 ? `${value} (${notes.join(', ')})` : value
}

function webhookTable(sections: DatabaseSection[]): string {
  const header = `| Figure | ${sections.map((section) => section.label).join(' | ')} |`
  const rule = `| --- |${sections.map(() => ' ---: |').join('')}`
  const { answerConcurrency, eventConcurrency } = WEBHOOK_SETTINGS
  const measured = sections.find((section) => section.result !== undefined)?.result
  const answerCount = formatCount(measured?.answers.planned ?? 0)
  const eventCount = formatCount(measured?.events.planned ?? 0)
  const rows: Array<[string, (result: WebhookBenchResult) => string]> = [
    [`Answer p50 (ms), ${answerCount} requests, concurrency ${answerConcurrency}`, (r) => cell(r.answers, (latency) => formatMs(latency.p50))],
    ['Answer p90 (ms)', (r) => cell(r.answers, (latency) => formatMs(latency.p90))],
    ['Answer p99 (ms)', (r) => cell(r.answers, (latency) => formatMs(latency.p99))],
    ['Answer max (ms)', (r) => cell(r.answers, (latency) => formatMs(latency.max))],
    [`Status events stored per second, ${eventCount} events, concurrency ${eventConcurrency}`, (r) => cell(r.events, () => r.events.perSecond.toFixed(0))],
    ['Status event p50 (ms)', (r) => cell(r.events, (latency) => formatMs(latency.p50))],
    ['Status event p99 (ms)', (r) => cell(r.events, (latency) => formatMs(latency.p99))],
  ]
  const lines = rows.map(([name, value]) => `| ${name} | ${sections.map((section) => (section.result ? value(section.result) : 'skipped')).join(' | ')} |`)
  const skipped = sections.filter((section) => section.skipped !== undefined).map((section) => `\n${section.label} skipped: ${section.skipped}`)
  return [header, rule, ...lines, ...skipped].join('\n')
}

function routingTable(results: Array<[string, RoutingFigures]>): string {
  const header = `| Figure (ms), ${formatCount(ROUTING_SIZE.agents)} agents, ${ROUTING_SIZE.queues} queues, ${ROUTING_SIZE.calls} calls | ${results.map(([label]) => label).join(' | ')} |`
  const rule = `| --- |${results.map(() => ' ---: |').join('')}`
  const rows: Array<[string, (figures: RoutingFigures) => string]> = [
    ['Routing decision p50', (figures) => formatMs(figures.decision.p50)],
    ['Routing decision p99', (figures) => formatMs(figures.decision.p99)],
    ['Assignment round p50', (figures) => formatMs(figures.assignment.p50)],
    ['Assignment round p99', (figures) => formatMs(figures.assignment.p99)],
  ]
  return [header, rule, ...rows.map(([name, value]) => `| ${name} | ${results.map(([, figures]) => value(figures)).join(' | ')} |`)].join('\n')
}

function reportTable(results: Array<[string, ReportFigures]>): string {
  const header = `| Report time (ms), ${formatCount(REPORT_CALLS)} calls in a year, Europe/Rome | ${results.map(([label]) => label).join(' | ')} |`
  const rule = `| --- |${results.map(() => ' ---: |').join('')}`
  const timing = (figures: ReportFigures, range: string, groupBy: string) => {
    const found = figures.timings.find((item) => item.range === range && item.groupBy === groupBy)
    return found ? formatMs(found.ms) : 'n/a'
  }
  const rows: Array<[string, (figures: ReportFigures) => string]> = [
    ['One month, by queue', (figures) => timing(figures, 'month', 'queue')],
    ['One month, by hour', (figures) => timing(figures, 'month', 'hour')],
    ['Whole year, by queue', (figures) => timing(figures, 'year', 'queue')],
    ['Whole year, by hour', (figures) => timing(figures, 'year', 'hour')],
    ['Generating the data set (s)', (figures) => figures.generateSeconds.toFixed(1)],
  ]
  return [header, rule, ...rows.map(([name, value]) => `| ${name} | ${results.map(([, figures]) => value(figures)).join(' | ')} |`)].join('\n')
}

function describeReport(label: string, figures: ReportFigures): string {
  const timings = figures.timings.map((item) => `${item.range} by ${item.groupBy} ${formatMs(item.ms)} ms (${formatCount(item.calls)} calls)`)
  return (
    `${label}: ${formatCount(figures.calls)} calls, ${formatCount(figures.queueEntries)} queue entries and ${formatCount(figures.offers)} offers ` +
    `generated in ${figures.generateSeconds.toFixed(1)} s; median of ${REPORT_RUNS} runs: ${timings.join(', ')}`
  )
}

function recordingTable(figures: RecordingFigures[]): string {
  const lines = figures.map(
    (figure) =>
      `| ${formatMebibytes(figure.bytes)} | ${figure.seconds.toFixed(2)} | ${(figure.bytes / MIB / figure.seconds).toFixed(0)} | ` +
      `${formatMebibytes(figure.rssBeforeBytes)} | ${formatMebibytes(figure.peakRssGrowthBytes)} | ${formatMebibytes(figure.peakArrayBufferBytes)} |`,
  )
  const header = '| Recording (MiB) | Time (s) | Throughput (MiB/s) | RSS before (MiB) | Peak RSS growth (MiB) | Peak ArrayBuffer memory (MiB) |'
  return [header, '| ---: | ---: | ---: | ---: | ---: | ---: |', ...lines].join('\n')
}

async function main(): Promise<void> {
  const machine = describeMachine()
  const databaseUrl = process.env.BENCH_DATABASE_URL || DEFAULT_DATABASE_URL
  console.log('# Centralino bridge benchmark')
  console.log(`command: npm run bench (BENCH_DATABASE_URL=${redactPassword(databaseUrl)})`)
  console.log(`machine: ${machine.cpuModel}, ${machine.cores} cores, ${machine.memoryGiB} GiB, ${machine.os}, Node ${machine.node}`)
  console.log(`date: ${machine.date}`)
  console.log(`1-minute load average before the run: ${loadAverage()}`)

  console.log('\n## Recording streaming (Vonage stand-in -> openRecording -> ZendeskClient upload -> Zendesk stand-in)')
  const recordings = await runRecordingBench(RECORDING_SIZES, RECORDING_WARMUP_BYTES)
  for (const figure of recordings) {
    console.log(
      `${formatMebibytes(figure.bytes)} MiB in ${figure.seconds.toFixed(2)} s; peak RSS growth ${formatMebibytes(figure.peakRssGrowthBytes)} MiB ` +
        `(RSS before ${formatMebibytes(figure.rssBeforeBytes)} MiB); peak ArrayBuffer memory ${formatMebibytes(figure.peakArrayBufferBytes)} MiB; ` +
        'size and SHA-256 match',
    )
  }

  const sections: DatabaseSection[] = [await benchDatabase('PGlite (embedded)')]
  const probe = await probePostgres(databaseUrl)
  if (probe.ok) {
    sections.push(await benchDatabase(`PostgreSQL ${probe.version}`, databaseUrl))
  } else {
    const reason = `cannot connect to ${redactPassword(databaseUrl)}: ${probe.reason}. Set BENCH_DATABASE_URL to a reachable database to include it.`
    console.log(`\n## PostgreSQL\nskipped: ${reason}`)
    sections.push({ label: 'PostgreSQL', skipped: reason })
  }

  console.log(`\n## Routing (${formatCount(ROUTING_SIZE.agents)} agents in ${ROUTING_SIZE.teams} teams, ${ROUTING_SIZE.queues} queues)`)
  const routing: Array<[string, RoutingFigures]> = [['PGlite (embedded)', await runRoutingBench()]]
  if (probe.ok) routing.push([`PostgreSQL ${probe.version}`, await runRoutingBench(databaseUrl)])
  for (const [label, figures] of routing) {
    console.log(
      `${label}: decision p50 ${formatMs(figures.decision.p50)} ms, p99 ${formatMs(figures.decision.p99)} ms; ` +
        `assignment round p50 ${formatMs(figures.assignment.p50)} ms, p99 ${formatMs(figures.assignment.p99)} ms`,
    )
  }

  console.log(`\n## Reports (${formatCount(REPORT_CALLS)} calls over a year, report in Europe/Rome)`)
  const reports: Array<[string, ReportFigures]> = [['PGlite (embedded)', await runReportBench()]]
  console.log(describeReport(reports[0][0], reports[0][1]))
  if (probe.ok) {
    reports.push([`PostgreSQL ${probe.version}`, await runReportBench(databaseUrl)])
    console.log(describeReport(reports[1][0], reports[1][1]))
  }

  console.log('\n## Summary\n')
  console.log(`command: npm run bench (BENCH_DATABASE_URL=${redactPassword(databaseUrl)})\n`)
  console.log(webhookTable(sections))
  console.log()
  console.log(recordingTable(recordings))
  console.log()
  console.log(routingTable(routing))
  console.log()
  console.log(reportTable(reports))
  console.log(`\n${machine.cpuModel}, ${machine.cores} cores, ${machine.memoryGiB} GiB RAM, Node ${machine.node}, ${machine.date}`)
  console.log(`1-minute load average at the end: ${loadAverage()}`)
}

/** Removes what the run created, then exits with `code`. */
async function abort(reason: string, code: number): Promise<never> {
  console.error(`bench: ${reason}; cleaning up`)
  await runPendingCleanups(CLEANUP_TIMEOUT_MS)
  process.exit(code)
}

const deadline = setTimeout(() => void abort(`stopped after ${TOTAL_DEADLINE_MS / 1000} s without finishing`, 1), TOTAL_DEADLINE_MS)
deadline.unref()
process.once('SIGINT', () => void abort('interrupted', 130))
process.once('SIGTERM', () => void abort('terminated', 143))

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error('bench failed:', error)
    process.exit(1)
  },
)
