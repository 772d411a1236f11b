// The kubelet's image events, word for word: Pulling, Pulled (with its timing and size), "already present",
// Failed / ErrImagePull, BackOff / ImagePullBackOff, ErrImageNeverPull, InspectFailed for a name that does not parse. Durations print like Go's time.Duration
// truncated to milliseconds ("313ms", "1.594s", "1m2.5s").
export interface ImageEvent {
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
}

export type EventSink = (event: ImageEvent) => void;

export function goDuration(ms: number): string {
  const total = Math.max(0, Math.floor(ms));
  if (total < 1000) return `${total}ms`;
  const trim = (n: number) => n.toFixed(3).replace(/\.?0+$/, '');
  const hours = Math.floor(total / 3_600_000);
  const minutes = Math.floor((total % 3_600_000) / 60_000);
  const seconds = (total % 60_000) / 1000;
  if (hours) return `${hours}h${minutes}m${trim(seconds)}s`;
  if (minutes) return `${minutes}m${trim(seconds)}s`;
  return `${trim(seconds)}s`;
}

export const imageEvents = {
  pulling: (image: string): ImageEvent => ({ type: 'Normal', reason: 'Pulling', message: `Pulling image "${image}"` }),
  pulled: (image: string, pullMs: number, totalMs: number, sizeBytes: number | string): ImageEvent => ({
    type: 'Normal',
    reason: 'Pulled',
    message: `Successfully pulled image "${image}" in ${goDuration(pullMs)} (${goDuration(totalMs)} including waiting). Image size: ${sizeBytes} bytes.`,
  }),
  present: (image: string): ImageEvent => ({
    type: 'Normal',
    reason: 'Pulled',
    message: `Container image "${image}" already present on machine`,
  }),
  failed: (image: string, detail: string): ImageEvent => ({
    type: 'Warning',
    reason: 'Failed',
    message: `Failed to pull image "${image}": ${detail}`,
  }),
  errorReason: (reason: 'ErrImagePull' | 'ImagePullBackOff' | 'ErrImageNeverPull'): ImageEvent => ({
    type: 'Warning',
    reason: 'Failed',
    message: `Error: ${reason}`,
  }),
  backOff: (image: string): ImageEvent => ({
    type: 'Normal',
    reason: 'BackOff',
    message: `Back-off pulling image "${image}"`,
  }),
  invalidName: (image: string, detail: string): ImageEvent => ({
    type: 'Warning',
    reason: 'InspectFailed',
    message: `Failed to apply default image tag "${image}": couldn't parse image name "${image}": ${detail}`,
  }),
  neverPull: (image: string): ImageEvent => ({
    type: 'Warning',
    reason: 'ErrImageNeverPull',
    message: `Container image "${image}" is not present with pull policy of Never`,
  }),
};
