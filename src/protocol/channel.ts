/**
 * One message channel for every link: the webview and its host, the extension host (or the CLI) and
 * each worker thread. A link's contract (one file per link in src/protocol) names its requests, each
 * with the schema of what is asked and of the reply, and the events each side may send unasked (one
 * zod union per direction, told apart by `type`). Everything that arrives is checked against its
 * schema before anyone sees it; what does not pass is dropped (an event) or answered as a failure (a
 * request). Replies are values: `{ ok: true, value }` or `{ ok: false, error }`, never a rejection.
 *
 * The channel knows nothing of Node or the DOM: it takes the other end as an `Endpoint` (post and
 * listen), built by the caller from a worker_threads port or Worker (`portEndpoint`), the webview's
 * `acquireVsCodeApi()` and `window`, or VS Code's `Webview`.
 */
import type * as z from '../core/zod';

/** A buffer handed over to the other side (it becomes unusable here), as worker_threads allows. */
export type Transfer = readonly ArrayBuffer[];

/** The other end of a link. */
export interface Endpoint {
  /** Sends a message (a structured clone); endpoints that cannot transfer ignore `transfer`. */
  post(message: unknown, transfer?: Transfer): void;
  /** Calls `handler` with each message that arrives; the function returned stops listening. */
  listen(handler: (message: unknown) => void): () => void;
}

/** What `portEndpoint` needs: worker_threads' `Worker`, `MessagePort` and `parentPort` all fit. */
export interface PortLike {
  postMessage(message: unknown, transfer?: Transfer): void;
  on(event: 'message', listener: (message: unknown) => void): unknown;
  off(event: 'message', listener: (message: unknown) => void): unknown;
}

export function portEndpoint(port: PortLike): Endpoint {
  return {
    post: (message, transfer) => port.postMessage(message, transfer),
    listen(handler) {
      port.on('message', handler);
      return () => port.off('message', handler);
    },
  };
}

/** An AbortSignal as both Node and the browser have it (only what the channel uses). */
export interface Signal {
  readonly aborted: boolean;
  addEventListener(type: 'abort', listener: () => void): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

type Schema = z.ZodMiniType;
interface Call {
  readonly ask: Schema;
  readonly reply: Schema;
}

/** A link: its requests, and the events (a union told apart by `type`) each side sends; z.never() for none. */
export interface Contract {
  readonly requests: Readonly<Record<string, Call>>;
  readonly toServer: Schema;
  readonly toClient: Schema;
}

export type RequestName<C extends Contract> = keyof C['requests'] & string;
export type AskOf<C extends Contract, K extends RequestName<C>> = z.infer<C['requests'][K]['ask']>;
export type ReplyOf<C extends Contract, K extends RequestName<C>> = z.infer<C['requests'][K]['reply']>;
export type ServerEvent<C extends Contract> = z.infer<C['toClient']>;
export type ClientEvent<C extends Contract> = z.infer<C['toServer']>;

/**
 * Why a request got no reply: `cancelled` (the asker gave up), `closed` (the link ended first),
 * `invalid` (the ask or the reply did not match its schema), `failed` (the handler threw), or a code
 * the handler chose by throwing a `Refusal`.
 */
export interface Failure {
  readonly code: string;
  readonly message: string;
}
export type Result<T> = { ok: true; value: T } | { ok: false; error: Failure };

/** Thrown by a request handler to answer with a failure of its own code instead of 'failed'. */
export class Refusal extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** A reply (or event) whose buffers are handed over rather than copied. */
export class Transferred<T> {
  constructor(
    readonly value: T,
    readonly transfer: Transfer,
  ) {}
}
export const transferring = <T>(value: T, transfer: Transfer): Transferred<T> => new Transferred(value, transfer);

/** The envelopes on the wire. Checked by hand (a few typeofs): they pass for every message. */
type Envelope =
  | { readonly rc: 'ask'; readonly id: number; readonly name: string; readonly body: unknown }
  | { readonly rc: 'reply'; readonly id: number; readonly body: unknown }
  | { readonly rc: 'fail'; readonly id: number; readonly error: Failure }
  | { readonly rc: 'cancel'; readonly id: number }
  | { readonly rc: 'event'; readonly body: unknown };

function envelope(m: unknown): Envelope | null {
  if (typeof m !== 'object' || m === null) return null;
  const e = m as Record<string, unknown>;
  switch (e.rc) {
    case 'event':
      return e as Envelope;
    case 'ask':
      return typeof e.id === 'number' && typeof e.name === 'string' ? (e as Envelope) : null;
    case 'reply':
    case 'cancel':
      return typeof e.id === 'number' ? (e as Envelope) : null;
    case 'fail': {
      const f = e.error as Record<string, unknown> | null;
      return typeof e.id === 'number' && typeof f === 'object' && f !== null && typeof f.code === 'string'
        ? { rc: 'fail', id: e.id, error: { code: f.code, message: String(f.message) } }
        : null;
    }
    default:
      return null;
  }
}

const issue = (error: { issues: readonly { message: string; path: readonly PropertyKey[] }[] }): string => {
  const first = error.issues[0];
  if (!first) return 'does not match';
  return first.path.length ? `${first.message} at ${first.path.map(String).join('.')}` : first.message;
};

/** Where events and failures nobody asked about go: by default nowhere. */
export interface ChannelOptions {
  /** A message arrived that did not match its schema (it was dropped, or answered as 'invalid'). */
  readonly onInvalid?: (what: string) => void;
}

/**
 * Request ids are unique across every link of this thread, not per link: a port handed from one link to
 * the next (a warm worker taken for a load) may still deliver the old link's late replies, and those
 * must not settle the new link's requests.
 */
let lastId = 0;

/** The asking side of a link. */
export class Client<C extends Contract> {
  private readonly pending = new Map<number, { name: string; settle: (r: Result<unknown>) => void }>();
  private stop: (() => void) | null;
  private closedWith: Failure | null = null;

  constructor(
    private readonly contract: C,
    private readonly endpoint: Endpoint,
    onEvent: (event: ServerEvent<C>) => void = () => {},
    private readonly options: ChannelOptions = {},
  ) {
    this.stop = endpoint.listen((raw) => {
      const m = envelope(raw);
      if (!m) return;
      if (m.rc === 'event') {
        const parsed = contract.toClient.safeParse(m.body);
        if (parsed.success) onEvent(parsed.data as ServerEvent<C>);
        else options.onInvalid?.(`event: ${issue(parsed.error)}`);
      } else if (m.rc === 'reply' || m.rc === 'fail') this.settle(m);
    });
  }

  private settle(m: Extract<Envelope, { rc: 'reply' | 'fail' }>): void {
    const p = this.pending.get(m.id);
    if (!p) return;
    this.pending.delete(m.id);
    if (m.rc === 'fail') return p.settle({ ok: false, error: m.error });
    const parsed = this.contract.requests[p.name].reply.safeParse(m.body);
    if (parsed.success) p.settle({ ok: true, value: parsed.data });
    else {
      const message = `Bad ${p.name} reply: ${issue(parsed.error)}`;
      this.options.onInvalid?.(message);
      p.settle({ ok: false, error: { code: 'invalid', message } });
    }
  }

  /**
   * Asks; resolves with the reply or with why there is none. Aborting `signal` resolves at once as
   * 'cancelled' and tells the other side, whose handler sees its own signal aborted.
   */
  request<K extends RequestName<C>>(
    name: K,
    ask: AskOf<C, K>,
    options: { signal?: Signal; transfer?: Transfer } = {},
  ): Promise<Result<ReplyOf<C, K>>> {
    const { signal, transfer } = options;
    if (this.closedWith) return Promise.resolve({ ok: false, error: this.closedWith });
    if (signal?.aborted) return Promise.resolve({ ok: false, error: { code: 'cancelled', message: 'Cancelled' } });
    const id = ++lastId;
    return new Promise((resolve) => {
      const onAbort = () => {
        if (!this.pending.delete(id)) return;
        this.endpoint.post({ rc: 'cancel', id });
        resolve({ ok: false, error: { code: 'cancelled', message: 'Cancelled' } });
      };
      signal?.addEventListener('abort', onAbort);
      this.pending.set(id, {
        name,
        settle: (r) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(r as Result<ReplyOf<C, K>>);
        },
      });
      this.endpoint.post({ rc: 'ask', id, name, body: ask }, transfer);
    });
  }

  /** Sends an event to the serving side. */
  send(event: ClientEvent<C>, transfer?: Transfer): void {
    if (!this.closedWith) this.endpoint.post({ rc: 'event', body: event }, transfer);
  }

  /** Requests still waiting for their reply. */
  get waiting(): number {
    return this.pending.size;
  }

  /** Ends the link on this side: requests waiting, and any made later, resolve as 'closed' with `message`. */
  close(message = 'The link was closed'): void {
    if (this.closedWith) return;
    this.closedWith = { code: 'closed', message };
    this.stop?.();
    this.stop = null;
    const waiting = [...this.pending.values()];
    this.pending.clear();
    for (const p of waiting) p.settle({ ok: false, error: this.closedWith });
  }
}

/** What a handler gets besides the ask: a signal aborted when the asker cancels. */
export interface RequestContext {
  readonly signal: Signal;
}
type Handler<C extends Contract, K extends RequestName<C>> = (
  ask: AskOf<C, K>,
  context: RequestContext,
) => ReplyOf<C, K> | Transferred<ReplyOf<C, K>> | Promise<ReplyOf<C, K> | Transferred<ReplyOf<C, K>>>;
export type Handlers<C extends Contract> = { readonly [K in RequestName<C>]: Handler<C, K> };

/** The answering side of a link. */
export class Server<C extends Contract> {
  private readonly running = new Map<number, AbortController>();
  private stop: (() => void) | null;

  constructor(
    private readonly contract: C,
    private readonly endpoint: Endpoint,
    private readonly handlers: Handlers<C>,
    onEvent: (event: ClientEvent<C>) => void = () => {},
    private readonly options: ChannelOptions = {},
  ) {
    this.stop = endpoint.listen((raw) => {
      const m = envelope(raw);
      if (!m) return;
      if (m.rc === 'ask') void this.answer(m.id, m.name, m.body);
      else if (m.rc === 'cancel') this.running.get(m.id)?.abort();
      else if (m.rc === 'event') {
        const parsed = contract.toServer.safeParse(m.body);
        if (parsed.success) onEvent(parsed.data as ClientEvent<C>);
        else options.onInvalid?.(`event: ${issue(parsed.error)}`);
      }
    });
  }

  private fail(id: number, code: string, message: string): void {
    this.endpoint.post({ rc: 'fail', id, error: { code, message } });
  }

  private async answer(id: number, name: string, body: unknown): Promise<void> {
    const call = Object.hasOwn(this.contract.requests, name) ? this.contract.requests[name] : undefined;
    if (!call) return this.fail(id, 'invalid', `Unknown request ${name}`);
    const parsed = call.ask.safeParse(body);
    if (!parsed.success) {
      const message = `Bad ${name} request: ${issue(parsed.error)}`;
      this.options.onInvalid?.(message);
      return this.fail(id, 'invalid', message);
    }
    const controller = new AbortController();
    this.running.set(id, controller);
    try {
      const handler = this.handlers[name] as (ask: unknown, context: RequestContext) => unknown;
      const reply = await handler(parsed.data, { signal: controller.signal });
      if (controller.signal.aborted || !this.stop) return;
      if (reply instanceof Transferred) {
        const body: unknown = reply.value;
        this.endpoint.post({ rc: 'reply', id, body }, reply.transfer);
      } else this.endpoint.post({ rc: 'reply', id, body: reply });
    } catch (e) {
      if (controller.signal.aborted || !this.stop) return;
      if (e instanceof Refusal) this.fail(id, e.code, e.message);
      else this.fail(id, 'failed', e instanceof Error ? e.message : String(e));
    } finally {
      this.running.delete(id);
    }
  }

  /** Sends an event to the asking side. */
  send(event: ServerEvent<C>, transfer?: Transfer): void {
    if (this.stop) this.endpoint.post({ rc: 'event', body: event }, transfer);
  }

  /** Stops answering; handlers still running see their signal aborted. */
  close(): void {
    this.stop?.();
    this.stop = null;
    for (const c of this.running.values()) c.abort();
    this.running.clear();
  }
}

/** The asking side of `contract` over `endpoint`; `onEvent` gets the other side's events, checked. */
export const connect = <C extends Contract>(
  contract: C,
  endpoint: Endpoint,
  onEvent?: (event: ServerEvent<C>) => void,
  options?: ChannelOptions,
): Client<C> => new Client(contract, endpoint, onEvent, options);

/** The answering side of `contract` over `endpoint`. */
export const serve = <C extends Contract>(
  contract: C,
  endpoint: Endpoint,
  handlers: Handlers<C>,
  onEvent?: (event: ClientEvent<C>) => void,
  options?: ChannelOptions,
): Server<C> => new Server(contract, endpoint, handlers, onEvent, options);
