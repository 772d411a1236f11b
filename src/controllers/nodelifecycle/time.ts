// Time as the API writes it (metav1.Time, to the second) from the controllers' clock.
export const apiTime = (date: Date) => date.toISOString().replace(/\.\d+Z$/, 'Z');
