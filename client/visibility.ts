/** A string literal for a Temporal visibility query (list filter), safely quoted. */
export function quote(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}
