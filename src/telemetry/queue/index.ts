export { DiskQueue } from './disk-queue.js';
export type { AppendRecord, DiskQueueOptions, PeekedRecordVisitor, Priority, QueueRecord, QueueState, QueueStats } from './disk-queue.js';
export { DiskFullError, QueueError, QueueFullError, type QueueErrorCode } from './errors.js';
export type { RecoveryReport } from './recovery.js';
export { PRIORITIES } from './record-codec.js';
