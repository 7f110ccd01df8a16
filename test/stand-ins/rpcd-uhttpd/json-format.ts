/**
 * JSON text as uhttpd writes it with libubox `blobmsg_format_json`: doubles always carry six
 * decimals (`3.140000`), integers are plain, everything else is standard JSON.
 */
export function formatBlobJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return 'null';
    return Number.isInteger(value) ? String(value) : value.toFixed(6);
  }
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'string' || typeof value === 'boolean') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(formatBlobJson).join(',')}]`;
  if (typeof value === 'object') {
    const parts: string[] = [];
    for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
      if (item === undefined) continue;
      parts.push(`${JSON.stringify(key)}:${formatBlobJson(item)}`);
    }
    return `{${parts.join(',')}}`;
  }
  return 'null';
}
