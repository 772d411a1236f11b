// The Fargate admission's entry points for the wiring in src/cli.
export {
  capturePod,
  capturingProfile,
  fargatePriority,
  fargatePriorityClassName,
  fargateSchedulerName,
} from './capture.js';
export { loggingDisabled, loggingEnabled, storeReaders } from './logging.js';
export { type FargateAdmission, type FargateAdmissionOptions, fargateAdmission } from './plugin.js';
export { registerFargateAdmission } from './register.js';
export {
  ensureFargateWebhookConfiguration,
  fargateWebhookConfiguration,
  fargateWebhookName,
} from './webhook-configuration.js';
