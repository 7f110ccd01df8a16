/** cJSON_Print's layout, as otbr-agent's REST bodies have it: tab indents, `"Key":\tvalue`, `[{` for arrays of objects. */
export function cjsonPrint(value: unknown, depth = 0): string {
  const pad = '\t'.repeat(depth + 1);
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    if (value.every((v) => typeof v === 'object' && v !== null && !Array.isArray(v))) {
      return `[${value.map((v) => cjsonPrint(v, depth + 1).replace(/^\{/, '{')).join(', ')}]`;
    }
    return `[${value.map((v) => cjsonPrint(v, depth)).join(', ')}]`;
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    if (entries.length === 0) return '{\n' + '\t'.repeat(depth) + '}';
    return `{\n${entries.map(([k, v]) => `${pad}${JSON.stringify(k)}:\t${cjsonPrint(v, depth + 1)}`).join(',\n')}\n${'\t'.repeat(depth)}}`;
  }
  return JSON.stringify(value);
}

export function errorBody(code: number, message: string): string {
  return cjsonPrint({ ErrorCode: code, ErrorMessage: message });
}
