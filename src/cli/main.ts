// Entry point of the `skiff` command: builds the commander program from the command modules and turns any
// failure into a one-line message and a non-zero exit (never a stack trace).
import { Command, CommanderError } from 'commander';
import { registerAll } from './commands/index.js';
import { CliError } from './errors.js';

const program = new Command('skiff')
  .description('Self-hostable Amazon EKS on AWS Fargate')
  .version('0.1.0')
  .showHelpAfterError()
  .exitOverride();
registerAll(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) process.exit(error.exitCode);
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`Error: ${message}\n`);
  if (process.env.SKIFF_DEBUG && error instanceof Error) process.stderr.write(`${error.stack}\n`);
  process.exit(error instanceof CliError ? error.exitCode : 1);
}
