/**
 * The service's pino options: JSON lines on stdout, and with a log file also to a file rotated
 * by size and day (pino-roll, in pino's transport thread so writing never holds the event loop).
 */
import path from 'node:path';

/** Log settings as the environment gives them. */
export interface LogSettings {
  level: string;
  /** Log file (rotated); none = stdout only. */
  file?: string;
  /** Rotate at this many bytes. */
  sizeBytes: number;
  /** Rotate also every day / hour, or by size only. */
  frequency: 'daily' | 'hourly' | 'none';
  /** Rotated files kept besides the current one. */
  count: number;
}

/** pino options for `buildApp({ logger })`. */
export function logOptions(s: LogSettings): Record<string, unknown> {
  if (!s.file) return { level: s.level };
  return {
    level: s.level,
    transport: {
      targets: [
        { target: 'pino/file', level: s.level, options: { destination: 1 } },
        {
          target: 'pino-roll',
          level: s.level,
          options: {
            file: path.resolve(s.file),
            // pino-roll reads a bare number as megabytes: say kilobytes.
            size: `${Math.max(1, Math.ceil(s.sizeBytes / 1024))}k`,
            ...(s.frequency === 'none' ? {} : { frequency: s.frequency }),
            limit: { count: s.count },
            mkdir: true,
          },
        },
      ],
    },
  };
}
