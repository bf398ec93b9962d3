/**
 * The webview's line to the extension host: every message in is checked with zod; `request` sends
 * a message with a fresh id and resolves with the host's answer carrying that id.
 */
import { ToWebview, type Reply, type ToHost } from '../protocol/editor';

interface VsCodeApi {
  postMessage(m: ToHost): void;
  getState(): unknown;
  setState(s: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const api = acquireVsCodeApi();
let nextId = 1;
const pending = new Map<number, (r: Reply) => void>();

export function post(m: ToHost): void {
  api.postMessage(m);
}

type Asks = Extract<ToHost, { id: number }>;
type Ask = Asks extends infer A ? (A extends { id: number } ? Omit<A, 'id'> : never) : never;

/** Sends a request; resolves with the host's reply of the given type. */
export function request<T extends Reply['type']>(m: Ask, _reply: T): Promise<Extract<Reply, { type: T }>> {
  const id = nextId++;
  return new Promise((resolve) => {
    pending.set(id, (r) => resolve(r as Extract<Reply, { type: T }>));
    api.postMessage({ ...m, id });
  });
}

/** Listens to the host's messages that are not replies. */
export function listen(handler: (m: Exclude<ToWebview, Reply>) => void): void {
  window.addEventListener('message', (event: MessageEvent<unknown>) => {
    const parsed = ToWebview.safeParse(event.data);
    if (!parsed.success) return;
    const m = parsed.data;
    if ('id' in m) {
      const resolve = pending.get(m.id);
      pending.delete(m.id);
      resolve?.(m);
    } else handler(m);
  });
}

/** What survives the webview being hidden and shown again. */
export const saved = {
  get<T>(): T | undefined {
    return (api.getState() as T | undefined) ?? undefined;
  },
  set(s: unknown): void {
    api.setState(s);
  },
};
