import type { Plugin } from 'esbuild';

export function mqttBundlePlugin(): Plugin;

/** What mqtt.js's packet clone becomes in the service bundles: plain objects and arrays copied, Buffers shared. */
export function cloneSharingBuffers<T>(value: T): T;
