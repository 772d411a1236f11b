// One logger per Skiff process, handed to each component as the error sink it reports to: a line per error with
// the component's name, on stderr (the log of a detached `skiff up`); SKIFF_DEBUG adds stacks and debug lines.
// Nothing a component reports is dropped.
export type ErrorSink = (error: unknown) => void;

export interface Logger {
  /** Where `component` reports the errors it does not act on itself. */
  errors(component: string): ErrorSink;
  /** A line for SKIFF_DEBUG only. */
  debug(component: string, message: string): void;
}

export function processLogger(
  write: (line: string) => void = (line) => process.stderr.write(line),
  debugging = Boolean(process.env.SKIFF_DEBUG),
): Logger {
  const line = (component: string, text: string) => write(`${new Date().toISOString()} ${component}: ${text}\n`);
  return {
    errors: (component) => (error) => {
      const detail = error instanceof Error ? (debugging && error.stack) || error.message : String(error);
      line(component, detail);
    },
    debug: (component, message) => {
      if (debugging) line(component, message);
    },
  };
}
