/** Billing period boundaries in local time; `resetDay` 1..28 so every month has it. */
export function periodStart(now: number, resetDay: number): number {
  const date = new Date(now);
  let year = date.getFullYear();
  let month = date.getMonth();
  if (date.getDate() < resetDay) {
    month -= 1;
    if (month < 0) { month = 11; year -= 1; }
  }
  return new Date(year, month, resetDay, 0, 0, 0, 0).getTime();
}

export function nextPeriodStart(now: number, resetDay: number): number {
  const start = new Date(periodStart(now, resetDay));
  return new Date(start.getFullYear(), start.getMonth() + 1, resetDay, 0, 0, 0, 0).getTime();
}

export function dayKey(now: number): string {
  const date = new Date(now);
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}
