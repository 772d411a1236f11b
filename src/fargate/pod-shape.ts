// The parts of a Kubernetes pod the Fargate rules read, as plain optional fields, so any pod object
// (the kube API's own type included) can be passed in without src/fargate/ importing the rest of Skiff.

export interface ResourceList {
  [resource: string]: string | number | undefined;
}

export interface ContainerShape {
  name?: string;
  resources?: { requests?: ResourceList; limits?: ResourceList };
  securityContext?: { privileged?: boolean; capabilities?: { add?: string[]; drop?: string[] } };
  ports?: { containerPort?: number; hostPort?: number; hostIP?: string }[];
}

/** A volume: its name and one source field (`emptyDir`, `hostPath`, …) whose key names its type. */
export interface VolumeShape {
  name: string;
  persistentVolumeClaim?: { claimName: string };
}

export interface PodShape {
  metadata?: {
    name?: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    ownerReferences?: { kind: string; name?: string; controller?: boolean }[];
  };
  spec?: {
    hostNetwork?: boolean;
    containers?: ContainerShape[];
    initContainers?: ContainerShape[];
    volumes?: VolumeShape[];
  };
}
