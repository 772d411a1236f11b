// How a Fargate rule says no: one shape for every refusal in src/fargate/ — a machine-readable reason (an EKS
// exception type, a scheduling reason) and the message EKS (or, where EKS's text is not public, Skiff) shows.
export interface Refusal<Reason extends string = string> {
  reason: Reason;
  message: string;
}

export function refuse<Reason extends string>(reason: Reason, message: string): Refusal<Reason> {
  return { reason, message };
}
