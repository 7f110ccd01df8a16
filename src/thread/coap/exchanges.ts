// Duplicate detection per node: the CoAP message id and token of the last exchanges of each source
// address. A retransmission of a reading still being published is dropped (its answer follows when the
// broker has it); one already answered gets the same answer again and nothing is published twice.

export type ExchangeState = { state: 'pending' } | { state: 'done'; code: string; payload?: string };

const PER_NODE = 64;

export class RecentExchanges {
  private readonly nodes = new Map<string, Map<string, ExchangeState>>();

  constructor(private readonly maxNodes: number) {}

  static key(messageId: number, token: Buffer): string {
    return `${messageId}/${token.toString('hex')}`;
  }

  get(node: string, key: string): ExchangeState | undefined {
    return this.nodes.get(node)?.get(key);
  }

  begin(node: string, key: string): void {
    let exchanges = this.nodes.get(node);
    if (!exchanges) {
      if (this.nodes.size >= this.maxNodes) this.nodes.delete(this.nodes.keys().next().value!);
      exchanges = new Map();
      this.nodes.set(node, exchanges);
    }
    exchanges.set(key, { state: 'pending' });
    if (exchanges.size > PER_NODE) exchanges.delete(exchanges.keys().next().value!);
  }

  finish(node: string, key: string, code: string, payload?: string): void {
    const exchanges = this.nodes.get(node);
    if (exchanges?.has(key)) exchanges.set(key, { state: 'done', code, ...(payload !== undefined ? { payload } : {}) });
  }

  /** Forgets an exchange that failed for a reason the node should retry (the broker was away). */
  forget(node: string, key: string): void {
    this.nodes.get(node)?.delete(key);
  }
}
