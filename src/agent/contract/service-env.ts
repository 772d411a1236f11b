// The service-link variables the kubelet gives every container (envvars.FromServices): for each Service of the
// pod's namespace with a cluster IP (when enableServiceLinks), and always for the `kubernetes` Service of
// `default`, `<NAME>_SERVICE_HOST`, `<NAME>_SERVICE_PORT[_<PORT NAME>]` and Docker's link variables.
import type { KubeObject } from '../../kube/api/types.js';

const envName = (name: string) => name.replaceAll('-', '_').toUpperCase();

const hasClusterIP = (service: KubeObject) => {
  const ip = service.spec?.clusterIP;
  return typeof ip === 'string' && ip !== '' && ip !== 'None';
};

const joinHostPort = (host: string, port: number) => (host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`);

function variablesOf(service: KubeObject): [string, string][] {
  const prefix = envName(service.metadata.name!);
  const ip: string = service.spec.clusterIP;
  const ports: any[] = service.spec.ports ?? [];
  const vars: [string, string][] = [[`${prefix}_SERVICE_HOST`, ip]];
  if (ports.length) vars.push([`${prefix}_SERVICE_PORT`, String(ports[0].port)]);
  for (const port of ports) {
    if (port.name) vars.push([`${prefix}_SERVICE_PORT_${envName(port.name)}`, String(port.port)]);
  }
  ports.forEach((port, i) => {
    const protocol = String(port.protocol || 'TCP');
    const url = `${protocol.toLowerCase()}://${joinHostPort(ip, port.port)}`;
    if (i === 0) vars.push([`${prefix}_PORT`, url]);
    const portPrefix = `${prefix}_PORT_${port.port}_${protocol.toUpperCase()}`;
    vars.push(
      [portPrefix, url],
      [`${portPrefix}_PROTO`, protocol.toLowerCase()],
      [`${portPrefix}_PORT`, String(port.port)],
      [`${portPrefix}_ADDR`, ip],
    );
  });
  return vars;
}

/** The variables, by name: the namespace's Services (if links are on) win over `default/kubernetes`. */
export function serviceEnv(
  namespaceServices: KubeObject[],
  kubernetes: KubeObject | undefined,
  namespace: string,
  enableServiceLinks: boolean,
): Map<string, string> {
  const chosen = new Map<string, KubeObject>();
  if (kubernetes && hasClusterIP(kubernetes)) chosen.set('kubernetes', kubernetes);
  if (enableServiceLinks) {
    for (const service of namespaceServices) {
      if (service.metadata.namespace === namespace && hasClusterIP(service))
        chosen.set(service.metadata.name!, service);
    }
  }
  const vars = new Map<string, string>();
  for (const name of [...chosen.keys()].sort()) for (const [k, v] of variablesOf(chosen.get(name)!)) vars.set(k, v);
  return vars;
}
