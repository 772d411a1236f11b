// Time as the API writes it: RFC 3339 to the second (metav1.Time) and to the microsecond (metav1.MicroTime).
// Every status condition and event of every pod carries one, so the text of the current second is made once.

let second = Number.NaN;
let secondText = '';

export const apiTime = (date = new Date()) => {
  const at = Math.floor(date.getTime() / 1000);
  if (at !== second) {
    secondText = date.toISOString().replace(/\.\d+Z$/, 'Z');
    second = at;
  }
  return secondText;
};

export const microTime = (date = new Date()) => date.toISOString().replace(/Z$/, '000Z');
