import { execFile } from 'node:child_process';
import { cpus, freemem, totalmem } from 'node:os';
import type { ResourceSample, TrainingMemory } from '../../src-shared/contract/system.js';

type CpuTimes = { idle: number; total: number };
type GpuReading = Pick<ResourceSample, 'gpus' | 'gpuNote'>;

function cpuTimes(): CpuTimes {
  let idle = 0;
  let total = 0;
  for (const c of cpus()) {
    idle += c.times.idle;
    total += c.times.user + c.times.nice + c.times.sys + c.times.irq + c.times.idle;
  }
  return { idle, total };
}

/**
 * Asks `nvidia-smi` for utilization and memory, asynchronously and with a timeout, because a
 * hung driver must not stall sampling (and systeminformation's graphics() is too slow to poll).
 */
export function readNvidiaSmi(timeoutMs = 2000): Promise<GpuReading> {
  return new Promise((resolve) => {
    execFile(
      'nvidia-smi',
      ['--query-gpu=name,utilization.gpu,memory.used,memory.total', '--format=csv,noheader,nounits'],
      { timeout: timeoutMs, windowsHide: true },
      (err, stdout) => {
        if (err) {
          const code = (err as NodeJS.ErrnoException).code;
          resolve({
            gpus: null,
            gpuNote: code === 'ENOENT' ? 'No NVIDIA GPU found (nvidia-smi is not installed).' : `nvidia-smi did not answer: ${err.message.split('\n')[0]}`,
          });
          return;
        }
        const gpus = stdout
          .trim()
          .split('\n')
          .filter(Boolean)
          .map((line) => {
            const [name, util, used, total] = line.split(',').map((s) => s.trim());
            return { name: name ?? 'GPU', utilizationPct: Number(util) || 0, memoryUsedMiB: Number(used) || 0, memoryTotalMiB: Number(total) || 0 };
          });
        resolve({ gpus, gpuNote: gpus.length ? null : 'nvidia-smi lists no GPU.' });
      },
    );
  });
}

/**
 * Samples CPU, memory and GPU about once a second and hands each sample to `onSample`.
 * CPU % is the busy share of all cores since the previous sample. When nvidia-smi is absent it
 * is not asked again every second: the first answer is kept.
 */
export class ResourceMonitor {
  private prev = cpuTimes();
  private timer: NodeJS.Timeout | null = null;
  private gpu: GpuReading | null = null;
  private gpuMissing = false;
  private latest: ResourceSample | null = null;

  constructor(
    private readonly onSample: (s: ResourceSample) => void,
    private readonly intervalMs = 1000,
    /** Tensor memory of the running training processes (their backends' own accounting). */
    private readonly trainingMemory: () => TrainingMemory[] = () => [],
  ) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.sample().then(this.onSample), this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  async sample(): Promise<ResourceSample> {
    if (!this.gpuMissing) {
      this.gpu = await readNvidiaSmi();
      this.gpuMissing = this.gpu.gpus === null && (this.gpu.gpuNote ?? '').includes('not installed');
    }
    const now = cpuTimes();
    const dTotal = now.total - this.prev.total;
    const cpuPct = dTotal > 0 ? Math.max(0, Math.min(100, (100 * (dTotal - (now.idle - this.prev.idle))) / dTotal)) : (this.latest?.cpuPct ?? 0);
    this.prev = now;
    const total = totalmem();
    this.latest = {
      ts: Date.now(),
      cpuPct,
      cpuCount: cpus().length,
      memUsedBytes: total - freemem(),
      memTotalBytes: total,
      processRssBytes: process.memoryUsage.rss(),
      gpus: this.gpu?.gpus ?? null,
      gpuNote: this.gpu?.gpuNote ?? null,
      training: this.trainingMemory(),
    };
    return this.latest;
  }
}
