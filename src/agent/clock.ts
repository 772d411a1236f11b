// Time as the API writes it: RFC 3339 to the second (metav1.Time) and to the microsecond (metav1.MicroTime).
export const apiTime = (date = new Date()) => date.toISOString().replace(/\.\d+Z$/, 'Z');

export const microTime = (date = new Date()) => date.toISOString().replace(/Z$/, '000Z');
