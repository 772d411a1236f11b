// Column definitions as kube-apiserver's printers declare them: name, type, format, priority and description.
import { fieldDoc } from './describe.js';
import type { TableColumnDefinition } from './types.js';

/** A column whose description is a field's API documentation ("core.v1.ServiceSpec#type") or literal text. */
export function column(name: string, type: string, doc: string, priority = 0, format = ''): TableColumnDefinition {
  const hash = doc.indexOf('#');
  const description = hash > 0 && !doc.includes(' ') ? fieldDoc(doc.slice(0, hash), doc.slice(hash + 1)) : doc;
  return { name, type, format, description, priority };
}

export const nameColumn = (priority = 0) => column('Name', 'string', 'meta.v1.ObjectMeta#name', priority, 'name');
export const ageColumn = () => column('Age', 'string', 'meta.v1.ObjectMeta#creationTimestamp');

/** The three -o wide columns every pod-template owner shows: Containers, Images, Selector (from `selectorDoc`). */
export function templateColumns(selectorDoc?: string): TableColumnDefinition[] {
  const cols = [
    column('Containers', 'string', 'Names of each container in the template.', 1),
    column('Images', 'string', 'Images referenced by each container in the template.', 1),
  ];
  if (selectorDoc) cols.push(column('Selector', 'string', selectorDoc, 1));
  return cols;
}
