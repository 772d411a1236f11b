// The list of the CLI's commands. Each module registers its own verbs on the program.
import type { Command } from 'commander';
import { register as fargateprofile } from './fargateprofile.js';
import { register as image } from './image.js';
import { register as nodegroup } from './nodegroup.js';

type Register = (program: Command) => void;

const registrations: Register[] = [fargateprofile, nodegroup, image];

export function registerAll(program: Command): void {
  for (const register of registrations) register(program);
}
