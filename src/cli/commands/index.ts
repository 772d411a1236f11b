// The list of the CLI's commands. Each module registers its own verbs on the program.
import type { Command } from 'commander';
import { register as check } from './check.js';
import { register as cost } from './cost.js';
import { register as down } from './down.js';
import { register as env } from './env.js';
import { register as fargateprofile } from './fargateprofile.js';
import { register as image } from './image.js';
import { register as nodegroup } from './nodegroup.js';
import { register as status } from './status.js';
import { register as up } from './up.js';

type Register = (program: Command) => void;

const registrations: Register[] = [up, down, status, env, fargateprofile, nodegroup, image, cost, check];

export function registerAll(program: Command): void {
  for (const register of registrations) register(program);
}
