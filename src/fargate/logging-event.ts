// The event fargate-scheduler records for a pod's `Logging` annotation (reference §3.5, §6.2): LoggingEnabled
// (Normal) or LoggingDisabled (Warning) with EKS's texts.

export const loggingAnnotation = 'Logging';

export interface LoggingEvent {
  type: 'Normal' | 'Warning';
  reason: 'LoggingEnabled' | 'LoggingDisabled';
  message: string;
}

const disabledBecause: Record<string, string> = {
  LOGGING_CONFIGMAP_NOT_FOUND:
    'Disabled logging because aws-logging configmap was not found. configmap "aws-logging" not found',
};

/** The event for an annotation value (`LoggingEnabled`, `LoggingDisabled: <CODE>`), or undefined when there is none. */
export function loggingEvent(annotation: string | undefined): LoggingEvent | undefined {
  if (annotation === undefined) return undefined;
  const value = annotation.trim();
  if (value === 'LoggingEnabled') {
    return { type: 'Normal', reason: 'LoggingEnabled', message: 'Successfully enabled logging for pod' };
  }
  const disabled = /^LoggingDisabled(?::\s*(\S+))?$/.exec(value);
  if (!disabled) return undefined;
  const code = disabled[1] ?? '';
  // Skiff's wording for codes other than LOGGING_CONFIGMAP_NOT_FOUND: EKS's texts for them are not public.
  const message = disabledBecause[code] ?? `Disabled logging because of ${code || 'an unknown reason'}`;
  return { type: 'Warning', reason: 'LoggingDisabled', message };
}
