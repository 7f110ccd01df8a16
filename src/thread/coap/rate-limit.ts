// Token buckets per source address: a node that floods is answered 4.29 without its payload being
// decoded, and every other node keeps its own budget.

interface Bucket { tokens: number; at: number }

export interface RateLimitOptions {
  /** Requests per second a node may sustain. */
  rate: number;
  burst: number;
  /** Buckets kept; the oldest is forgotten beyond (a flood of made-up addresses stays bounded). */
  maxNodes: number;
  now?: () => number;
}

export class NodeRateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly now: () => number;

  constructor(private readonly options: RateLimitOptions) {
    this.now = options.now ?? (() => Date.now());
  }

  /** Takes one token; false when the node is over its rate. */
  take(node: string): boolean {
    const t = this.now();
    let bucket = this.buckets.get(node);
    if (!bucket) {
      if (this.buckets.size >= this.options.maxNodes) this.buckets.delete(this.buckets.keys().next().value!);
      bucket = { tokens: this.options.burst, at: t };
      this.buckets.set(node, bucket);
    }
    bucket.tokens = Math.min(this.options.burst, bucket.tokens + ((t - bucket.at) / 1000) * this.options.rate);
    bucket.at = t;
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }

  /** Seconds until the node has a token again (the Max-Age of a 4.29). */
  retryAfterS(node: string): number {
    const bucket = this.buckets.get(node);
    if (!bucket) return 0;
    return Math.max(1, Math.ceil((1 - bucket.tokens) / this.options.rate));
  }
}
