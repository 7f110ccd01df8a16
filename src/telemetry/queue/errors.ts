export type QueueErrorCode = 'queue-full' | 'disk-full' | 'disk-error' | 'closed' | 'locked' | 'not-mounted' | 'invalid-record';

export class QueueError extends Error {
  /** For `invalid-record`: the index, in the appended batch, of the record refused. */
  readonly recordIndex: number | undefined;

  constructor(readonly code: QueueErrorCode, message: string, options?: { cause?: unknown; recordIndex?: number }) {
    super(message, options);
    this.name = 'QueueError';
    this.recordIndex = options?.recordIndex;
  }

  /** Retrying cannot help (the record itself is refused); every other error may pass later (space, disk). */
  get permanent(): boolean { return this.code === 'invalid-record'; }
}

/** A permanent refusal with the index of the record refused, from any queue implementing the port. */
export function permanentRefusal(error: unknown): { index: number | undefined; message: string } | undefined {
  const candidate = error as Partial<QueueError> | undefined;
  if (!candidate || candidate.code !== 'invalid-record') return undefined;
  return { index: candidate.recordIndex, message: String(candidate.message) };
}

/** The queue's byte budget for this priority is used up; the caller must slow down (backpressure). */
export class QueueFullError extends QueueError {
  constructor(message: string) {
    super('queue-full', message);
    this.name = 'QueueFullError';
  }
}

/** The file system returned ENOSPC/EDQUOT; nothing of the failed batch was kept, earlier data is intact. */
export class DiskFullError extends QueueError {
  constructor(message: string, cause?: unknown) {
    super('disk-full', message, { cause });
    this.name = 'DiskFullError';
  }
}

export function isDiskFull(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOSPC' || code === 'EDQUOT';
}

/** Wraps a file-system error into the queue's error vocabulary. */
export function toQueueError(error: unknown, what: string): QueueError {
  if (error instanceof QueueError) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (isDiskFull(error)) return new DiskFullError(`disk full while ${what}: ${message}`, error);
  return new QueueError('disk-error', `${what} failed: ${message}`, { cause: error });
}
