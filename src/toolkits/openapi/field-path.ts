const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** Appends a key to a readable location such as `paths['/pets/{id}'].get.parameters[0]`. */
export function fieldPath(base: string, key: string | number): string {
  if (typeof key === 'number') return `${base}[${key}]`;
  if (IDENTIFIER.test(key)) return base === '' ? key : `${base}.${key}`;
  return `${base}[${quote(key)}]`;
}

function quote(key: string): string {
  const shown = key.length > 80 ? `${key.slice(0, 77)}...` : key;
  return `'${shown.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}
