// storage.k8s.io kinds and PodTemplate, with kube-apiserver's columns: StorageClass, CSIDriver, CSINode,
// VolumeAttachment, PodTemplate.
import type { KubeObject } from '../../api/types.js';
import { ageColumn, column, nameColumn } from '../columns.js';
import { since } from '../duration.js';
import type { Printer } from '../types.js';

const age = (obj: KubeObject, now: Date) => since(obj.metadata.creationTimestamp, now);
const defaultClass = 'storageclass.kubernetes.io/is-default-class';

export const storageClassPrinter: Printer = {
  columns: [
    nameColumn(),
    column('Provisioner', 'string', 'Indicates the type of the provisioner.'),
    column('ReclaimPolicy', 'string', 'Indicates the type of the reclaim policy.'),
    column('VolumeBindingMode', 'string', 'Indicates when volume binding and dynamic provisioning should occur.'),
    column('AllowVolumeExpansion', 'string', 'Indicates whether the storage class allow volume expand.'),
    ageColumn(),
  ],
  cells: (sc, now) => [
    sc.metadata.annotations?.[defaultClass] === 'true' ? `${sc.metadata.name} (default)` : sc.metadata.name,
    sc.provisioner ?? '',
    sc.reclaimPolicy ?? 'Delete',
    sc.volumeBindingMode ?? 'Immediate',
    String(sc.allowVolumeExpansion === true),
    age(sc, now),
  ],
};

export const csiDriverPrinter: Printer = {
  columns: [
    nameColumn(),
    column('AttachRequired', 'boolean', 'storage.v1.CSIDriverSpec#attachRequired'),
    column('PodInfoOnMount', 'boolean', 'storage.v1.CSIDriverSpec#podInfoOnMount'),
    column('StorageCapacity', 'boolean', 'storage.v1.CSIDriverSpec#storageCapacity'),
    column('TokenRequests', 'string', 'storage.v1.CSIDriverSpec#tokenRequests'),
    column('RequiresRepublish', 'boolean', 'storage.v1.CSIDriverSpec#requiresRepublish'),
    column('Modes', 'string', 'storage.v1.CSIDriverSpec#volumeLifecycleModes'),
    ageColumn(),
  ],
  cells: (d, now) => [
    d.metadata.name,
    d.spec?.attachRequired ?? true,
    d.spec?.podInfoOnMount ?? false,
    d.spec?.storageCapacity ?? false,
    (d.spec?.tokenRequests ?? []).map((t: any) => t.audience).join(',') || '<unset>',
    d.spec?.requiresRepublish ?? false,
    (d.spec?.volumeLifecycleModes ?? ['Persistent']).join(','),
    age(d, now),
  ],
};

export const csiNodePrinter: Printer = {
  columns: [
    nameColumn(),
    column('Drivers', 'integer', 'Drivers indicates the number of CSI drivers registered on the node'),
    ageColumn(),
  ],
  cells: (n, now) => [n.metadata.name, (n.spec?.drivers ?? []).length, age(n, now)],
};

export const volumeAttachmentPrinter: Printer = {
  columns: [
    nameColumn(),
    column('Attacher', 'string', 'storage.v1.VolumeAttachmentSpec#attacher'),
    column('PV', 'string', 'storage.v1.VolumeAttachmentSource#persistentVolumeName'),
    column('Node', 'string', 'storage.v1.VolumeAttachmentSpec#nodeName'),
    column('Attached', 'boolean', 'storage.v1.VolumeAttachmentStatus#attached'),
    ageColumn(),
  ],
  cells: (va, now) => [
    va.metadata.name,
    va.spec?.attacher ?? '',
    va.spec?.source?.persistentVolumeName ?? '',
    va.spec?.nodeName ?? '',
    va.status?.attached === true,
    age(va, now),
  ],
};

export const podTemplatePrinter: Printer = {
  columns: [
    column('Template', 'string', 'Name must be unique within a namespace.'),
    column('Containers', 'string', 'Names of each container in the template.'),
    column('Images', 'string', 'Images referenced by each container in the template.'),
    column('Pod Labels', 'string', 'The labels for the pod template.'),
  ],
  cells: (pt) => {
    const containers: any[] = pt.template?.spec?.containers ?? [];
    const labels = Object.entries(pt.template?.metadata?.labels ?? {}).map(([k, v]) => `${k}=${v}`);
    return [
      pt.metadata.name,
      containers.map((c) => c.name).join(','),
      containers.map((c) => c.image).join(','),
      labels.sort().join(',') || '<none>',
    ];
  },
};
