import { fork, type ChildProcess } from 'node:child_process'

/**
 * Starts a TypeScript file of this folder as a child process with an IPC channel. The child
 * inherits this process's `execArgv`, which carries tsx's loader when the bench runs under tsx.
 */
export function forkTypeScript(file: string): ChildProcess {
  return fork(file, [], { execArgv: process.execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
}

/**
 * Sends `message` to the child and resolves with its next message. Rejects when the child
 * exits first or no reply arrives within `timeoutMs`.
 */
export function requestReply<Reply>(child: ChildProcess, message: unknown, timeoutMs: number): Promise<Reply> {
  return new Promise<Reply>((resolve, reject) => {
    const cleanUp = () => {
      clearTimeout(timer)
      child.off('message', onMessage)
      child.off('exit', onExit)
    }
    const onMessage = (reply: unknown) => {
      cleanUp()
      resolve(reply as Reply)
    }
    const onExit = (code: number | null, signal: NodeJS.Signals | null) => {
      cleanUp()
      reject(new Error(`child process ${child.pid} exited (code ${code}, signal ${signal}) before it replied`))
    }
    const timer = setTimeout(() => {
      cleanUp()
      reject(new Error(`child process ${child.pid} did not reply within ${timeoutMs} ms`))
    }, timeoutMs)
    child.on('message', onMessage)
    child.on('exit', onExit)
    child.send(message as object)
  })
}

/** Closes the IPC channel so the child can exit, and kills it if it is still running after `graceMs`. */
export async function stopChild(child: ChildProcess, graceMs = 5000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  if (child.connected) child.disconnect()
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs)
  await exited
  clearTimeout(timer)
}
