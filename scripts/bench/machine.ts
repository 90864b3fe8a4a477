import { readFileSync } from 'node:fs'
import os from 'node:os'

export interface MachineInfo {
  cpuModel: string
  cores: number
  memoryGiB: string
  node: string
  os: string
  date: string
}

/** Reads the first `model name` line of /proc/cpuinfo, falling back to what Node reports. */
function cpuModel(): string {
  try {
    const match = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))
    if (match) return match[1].trim()
  } catch {
    // Not Linux: os.cpus() below has the model too.
  }
  return os.cpus()[0]?.model ?? 'unknown'
}

/**
 * Returns the 1-minute load average. A value before the run well above zero means other
 * processes were busy, and they compete with the benchmark for the CPU.
 */
export function loadAverage(): string {
  return os.loadavg()[0].toFixed(2)
}

export function describeMachine(): MachineInfo {
  return {
    cpuModel: cpuModel(),
    cores: os.availableParallelism(),
    memoryGiB: (os.totalmem() / 1024 ** 3).toFixed(1),
    node: process.version,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    date: new Date().toISOString(),
  }
}
