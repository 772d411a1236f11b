// Column descriptions: the API's own field documentation (the SwaggerDoc strings kube-apiserver's printers use),
// read once from the OpenAPI definitions Skiff ships in src/kube/schema/definitions.json.
import { readFileSync } from 'node:fs';

type Definitions = Record<string, { properties?: Record<string, { description?: string }> }>;
let definitions: Definitions | undefined;

/** The description of `field` in definition `type` ("core.v1.PodStatus", "meta.v1.ObjectMeta", "apps.v1.…"). */
export function fieldDoc(type: string, field: string): string {
  if (!definitions) {
    const text = readFileSync(new URL('../schema/definitions.json', import.meta.url), 'utf8');
    definitions = (JSON.parse(text) as { definitions: Definitions }).definitions;
  }
  const name = type.startsWith('meta.') ? `io.k8s.apimachinery.pkg.apis.${type}` : `io.k8s.api.${type}`;
  return definitions[name]?.properties?.[field]?.description ?? '';
}
