// EC2's query-protocol XML: elements from plain values (strings, numbers, booleans, nested objects, `item` lists
// as EC2 writes its *Set members), responses under the 2016-11-15 namespace, and the error document.
import { randomUUID } from 'node:crypto';

export type XmlValue = string | number | boolean | XmlValue[] | { [name: string]: XmlValue | undefined };

const escapeXml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function element(name: string, value: XmlValue | undefined): string {
  if (value === undefined) return '';
  if (Array.isArray(value)) {
    return value.length ? `<${name}>${value.map((item) => element('item', item)).join('')}</${name}>` : `<${name}/>`;
  }
  if (typeof value === 'object') {
    return `<${name}>${Object.entries(value)
      .map(([k, v]) => element(k, v))
      .join('')}</${name}>`;
  }
  return `<${name}>${escapeXml(String(value))}</${name}>`;
}

export function ec2Response(action: string, members: Record<string, XmlValue>): string {
  const body = Object.entries(members)
    .map(([k, v]) => element(k, v))
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${action}Response xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>${randomUUID()}</requestId>${body}</${action}Response>\n`;
}

export class Ec2Error extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }

  xml(): string {
    return `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>${escapeXml(this.code)}</Code><Message>${escapeXml(this.message)}</Message></Error></Errors><RequestID>${randomUUID()}</RequestID></Response>\n`;
  }
}
