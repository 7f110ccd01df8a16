/** apk version ordering for X.Y.Z[letter][_suffixN]-rN strings (enough for the feed and the samples). */
function tokens(version: string): Array<number | string> {
  const [main = '', release = '0'] = version.split('-r');
  const parts: Array<number | string> = [];
  for (const piece of main.match(/\d+|[a-z]+|_[a-z]+\d*/g) ?? []) parts.push(/^\d+$/.test(piece) ? Number(piece) : piece);
  parts.push('-r', Number(release));
  return parts;
}

export function compareVersions(a: string, b: string): number {
  const left = tokens(a);
  const right = tokens(b);
  for (let i = 0; i < Math.max(left.length, right.length); i++) {
    const x = left[i];
    const y = right[i];
    if (x === y) continue;
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    if (typeof x === 'number' && typeof y === 'number') return x - y;
    return String(x) < String(y) ? -1 : 1;
  }
  return 0;
}

/** Whether `version` satisfies a dependency's operator (`>=`, `<`, `=`...; none: anything). */
export function satisfies(version: string, operator: string | undefined, wanted: string | undefined): boolean {
  if (!operator || wanted === undefined) return true;
  const order = compareVersions(version, wanted);
  switch (operator) {
    case '=': return order === 0;
    case '>=': return order >= 0;
    case '<=': return order <= 0;
    case '>': return order > 0;
    case '<': return order < 0;
    default: return true;
  }
}

export function splitDependency(text: string): { name: string; operator?: string; version?: string } {
  const match = /^([^<>=~!]+)(>=|<=|=|<|>|~)?(.*)$/.exec(text);
  if (!match) return { name: text };
  return match[2] ? { name: match[1]!, operator: match[2], version: match[3] } : { name: match[1]! };
}
