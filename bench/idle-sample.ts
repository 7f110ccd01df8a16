// CPU and peak RSS of a running process over a window, from /proc (benches of idle services).
import { readFileSync } from 'node:fs';

function cpuTicks(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

function rssKb(pid: number): number {
  return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN);
}

/** Samples `pid` every second for `seconds`: CPU % of one core (utime + stime), peak RSS in MB. */
export async function sampleIdle(pid: number, seconds: number): Promise<{ cpuPercent: number; peakRssMb: number }> {
  const ticks0 = cpuTicks(pid);
  const t0 = Date.now();
  let peakRss = 0;
  while (Date.now() - t0 < seconds * 1000) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    peakRss = Math.max(peakRss, rssKb(pid));
  }
  return { cpuPercent: ((cpuTicks(pid) - ticks0) / 100 / ((Date.now() - t0) / 1000)) * 100, peakRssMb: peakRss / 1024 };
}
