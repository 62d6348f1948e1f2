/**
 * A place where a test may stop the process dead, as a power cut would: when CRASH_AT names this point, the
 * process kills itself with SIGKILL (no shutdown hooks, no flushing). A no-op otherwise.
 */
export function crashPoint(name: string): void {
  if (process.env.CRASH_AT === name) process.kill(process.pid, 'SIGKILL');
}
