/**
 * `preaudit worker`: a process that runs batch audits (and fires recurring schedules) of the
 * database it shares with the service instances, without an HTTP port. Configured by the same
 * environment as the service (DATABASE_URL, DATABASE_SCHEMA, PA_AUDIT_SOURCES …). Start any
 * number, on any machine: each job is claimed by one of them (a lease in the database); a worker
 * killed mid-job leaves its last committed page as the checkpoint, and another picks the job up
 * once the lease expires. Stop with SIGTERM: running jobs pause at a page boundary.
 */
import type { Command } from 'commander';

/** Adds the command to the program. */
export function register(program: Command): void {
  program
    .command('worker')
    .description('run batch audits from the shared database (no HTTP port); set PA_AUDIT_JOBS_RUN=false on the service instances')
    .action(async () => {
      const { main } = await import('../server.js');
      const { ConfigError } = await import('../platform/config/config-error.js');
      try {
        await main(process.env, { worker: true });
      } catch (err) {
        process.stderr.write(`preaudit worker: ${err instanceof ConfigError ? err.message : `could not start: ${String((err as Error)?.message ?? err).split('\n')[0]}`}\n`);
        process.exit(1);
      }
    });
}
