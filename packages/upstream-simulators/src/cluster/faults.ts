/*
 * Fault hooks of a running simulator: requests matching a rule are delayed,
 * answered with an error Status, or never answered.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiStatusError } from './status';

/** A fault injected into matching requests. @public */
export interface FaultRule {
  /** `management` or a tenant as `<namespace>/<name>`; any when omitted */
  cluster?: string;
  method?: string;
  /** a path prefix, or a regular expression on the path */
  path: string | RegExp;
  /** delay before the request is served */
  latencyMs?: number;
  /** answer with this HTTP status (and a Status body) instead of serving */
  status?: number;
  /** never answer (the connection stays open until the client gives up) */
  hang?: boolean;
  /** answer with this raw body as JSON (malformed or huge payloads), with `status` or 200 */
  body?: string;
  /** how many requests the rule applies to; unlimited when omitted */
  times?: number;
}

/** Fault hooks of a running simulator. @public */
export interface FaultInjector {
  /** Adds a rule; returns a function that removes it. */
  add(rule: FaultRule): () => void;
  clear(): void;
  /** requests that matched a rule so far */
  readonly hits: number;
}

const REASONS: Record<number, [string, string]> = {
  503: [
    'ServiceUnavailable',
    'the server is currently unable to handle the request',
  ],
  504: [
    'Timeout',
    'the server was unable to return a response in the time allotted',
  ],
};

/** The rules, and what they do to a request. */
export class FaultHooks implements FaultInjector {
  private readonly rules: FaultRule[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly hanging = new Set<ServerResponse>();
  private matched = 0;

  add(rule: FaultRule): () => void {
    const entry = { ...rule };
    this.rules.push(entry);
    return () => {
      const i = this.rules.indexOf(entry);
      if (i >= 0) this.rules.splice(i, 1);
    };
  }

  clear() {
    this.rules.length = 0;
  }

  get hits() {
    return this.matched;
  }

  /**
   * Applies the first matching rule: waits its latency, then answers for it
   * (an error Status, or never). Returns whether the request was answered.
   */
  async intercept(
    clusterId: string,
    req: IncomingMessage,
    res: ServerResponse,
    pathname: string,
  ): Promise<boolean> {
    const rule = this.rules.find(
      r =>
        (!r.cluster || r.cluster === clusterId) &&
        (!r.method || r.method.toUpperCase() === req.method) &&
        (typeof r.path === 'string'
          ? pathname.startsWith(r.path)
          : r.path.test(pathname)),
    );
    if (!rule) return false;
    this.matched++;
    if (rule.times !== undefined && --rule.times <= 0)
      this.rules.splice(this.rules.indexOf(rule), 1);
    if (rule.latencyMs) await this.delay(rule.latencyMs);
    if (rule.hang) {
      this.hanging.add(res);
      res.on('close', () => this.hanging.delete(res));
      return true;
    }
    if (rule.body !== undefined) {
      res.writeHead(rule.status ?? 200, { 'Content-Type': 'application/json' });
      res.end(rule.body);
      return true;
    }
    if (rule.status) {
      const [reason, message] = REASONS[rule.status] ?? [
        'InternalError',
        `Internal error occurred: injected fault ${rule.status}`,
      ];
      const err = new ApiStatusError(rule.status, reason, message);
      res.writeHead(rule.status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(err.toStatus()));
      return true;
    }
    return false;
  }

  /** Ends pending delays and hung requests. */
  stop() {
    for (const t of this.timers) clearTimeout(t);
    for (const res of this.hanging) res.destroy();
  }

  private delay(ms: number) {
    return new Promise<void>(resolve => {
      const t = setTimeout(() => {
        this.timers.delete(t);
        resolve();
      }, ms);
      this.timers.add(t);
    });
  }
}
