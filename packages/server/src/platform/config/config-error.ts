/**
 * A setting that stops the start. Its message is one line that names the variable and never
 * quotes a secret; start.ts prints it as `preaudit: <message>` and exits 1, without a stack.
 */
export class ConfigError extends Error {
  constructor(
    /** The environment variable at fault. */
    readonly variable: string,
    /** What is wrong with it (without the value, when the value may be secret). */
    problem: string,
  ) {
    super(`${variable}: ${problem}`);
    this.name = 'ConfigError';
  }
}
