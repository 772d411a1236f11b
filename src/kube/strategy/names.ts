// Object name validation with kube-apiserver's exact messages (DNS-1123 label and subdomain).
import type { FieldCause } from '../api/errors.js';

const labelPattern = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const label = new RegExp(`^${labelPattern}$`);
const subdomain = new RegExp(`^${labelPattern}(\\.${labelPattern})*$`);

export function validateName(
  name: string,
  format: 'label' | 'subdomain' | 'path',
  field = 'metadata.name',
): FieldCause[] {
  const invalid = (message: string): FieldCause[] => [
    { field, reason: 'FieldValueInvalid', message: `Invalid value: "${name}": ${message}` },
  ];
  // path.ValidatePathSegmentName (RBAC objects: `system:node`).
  if (format === 'path') {
    if (name === '.' || name === '..') return invalid(`may not be '${name}'`);
    return ['/', '%'].filter((c) => name.includes(c)).flatMap((c) => invalid(`may not contain '${c}'`));
  }
  if (format === 'label') {
    if (name.length > 63) return invalid('must be no more than 63 characters');
    if (!label.test(name)) {
      return invalid(
        `a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '${labelPattern}')`,
      );
    }
    return [];
  }
  if (name.length > 253) return invalid('must be no more than 253 characters');
  if (!subdomain.test(name)) {
    return invalid(
      `a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '${labelPattern}(\\.${labelPattern})*')`,
    );
  }
  return [];
}

const qualifiedName = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;

/** Label keys ("prefix/name") and values, as metav1validation.ValidateLabels does. */
export function validateLabels(labels: Record<string, string> | undefined, field: string): FieldCause[] {
  const causes: FieldCause[] = [];
  for (const [key, value] of Object.entries(labels ?? {})) {
    const slash = key.lastIndexOf('/');
    const name = slash < 0 ? key : key.slice(slash + 1);
    const prefix = slash < 0 ? '' : key.slice(0, slash);
    if (name.length > 63 || !qualifiedName.test(name) || (prefix && !subdomain.test(prefix))) {
      causes.push({
        field,
        reason: 'FieldValueInvalid',
        message: `Invalid value: "${key}": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`,
      });
    }
    if (typeof value !== 'string' || value.length > 63 || (value !== '' && !qualifiedName.test(value))) {
      causes.push({
        field,
        reason: 'FieldValueInvalid',
        message: `Invalid value: "${value}": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`,
      });
    }
  }
  return causes;
}
