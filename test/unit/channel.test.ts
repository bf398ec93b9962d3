/**
 * The message channel (src/protocol/channel.ts) over real worker_threads MessageChannels: requests
 * and replies by id, failures as values, schema checks on whichever side receives, cancellation seen
 * by the handler, buffers transferred, and a link closed under waiting requests.
 */
import assert from 'node:assert/strict';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import * as z from '../../src/core/zod';
import {
  connect,
  portEndpoint,
  Refusal,
  serve,
  transferring,
  type Contract,
  type Handlers,
} from '../../src/protocol/channel';

const link = {
  requests: {
    add: { ask: z.object({ a: z.number(), b: z.number() }), reply: z.object({ sum: z.number() }) },
    wait: { ask: z.object({ ms: z.int() }), reply: z.object({ aborted: z.boolean() }) },
    fill: {
      ask: z.object({ n: z.int() }),
      reply: z.object({ data: z.custom<Float64Array>((v) => v instanceof Float64Array) }),
    },
    /** Replies with what the handler returns, checked against a schema it may not meet. */
    lie: { ask: z.object({}), reply: z.object({ ok: z.literal(true) }) },
  },
  toServer: z.discriminatedUnion('type', [z.object({ type: z.literal('hello'), name: z.string() })]),
  toClient: z.discriminatedUnion('type', [z.object({ type: z.literal('tick'), n: z.int() })]),
} satisfies Contract;

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

function pair(handlers: Partial<Handlers<typeof link>> = {}) {
  const { port1, port2 } = new MessageChannel();
  const seen = {
    hello: [] as string[],
    ticks: [] as number[],
    invalid: [] as string[],
    cancelled: [] as boolean[],
    filled: [] as Float64Array[],
  };
  const server = serve(
    link,
    portEndpoint(port2),
    {
      add: ({ a, b }) => ({ sum: a + b }),
      wait: async ({ ms }, { signal }) => {
        await pause(ms);
        seen.cancelled.push(signal.aborted);
        return { aborted: signal.aborted };
      },
      fill: ({ n }) => {
        const data = new Float64Array(n).fill(7);
        seen.filled.push(data);
        return transferring({ data }, [data.buffer]);
      },
      lie: () => ({ ok: false }) as never,
      ...handlers,
    },
    (e) => seen.hello.push(e.name),
    { onInvalid: (w) => seen.invalid.push(`server ${w}`) },
  );
  const client = connect(link, portEndpoint(port1), (e) => seen.ticks.push(e.n), {
    onInvalid: (w) => seen.invalid.push(`client ${w}`),
  });
  const close = () => {
    client.close();
    server.close();
    port1.close();
    port2.close();
  };
  return { client, server, seen, close, port1, port2 };
}

describe('message channel', () => {
  it('answers requests by id, in any order, and carries events both ways', async () => {
    const { client, server, seen, close } = pair();
    try {
      const slow = client.request('wait', { ms: 50 });
      const sums = await Promise.all([1, 2, 3].map((a) => client.request('add', { a, b: 10 })));
      assert.deepEqual(
        sums,
        [11, 12, 13].map((sum) => ({ ok: true, value: { sum } })),
      );
      assert.equal(client.waiting, 1, 'the slow request is still waiting');
      assert.deepEqual(await slow, { ok: true, value: { aborted: false } });
      client.send({ type: 'hello', name: 'grid' });
      server.send({ type: 'tick', n: 1 });
      server.send({ type: 'tick', n: 2 });
      await pause(20);
      assert.deepEqual(seen.hello, ['grid']);
      assert.deepEqual(seen.ticks, [1, 2]);
    } finally {
      close();
    }
  });

  it('gives failures as values: a refusal keeps its code, a throw is "failed"', async () => {
    const { client, close } = pair({
      add: ({ a }) => {
        if (a < 0) throw new Refusal('negative', 'No negative numbers');
        throw new Error('boom');
      },
    });
    try {
      assert.deepEqual(await client.request('add', { a: -1, b: 0 }), {
        ok: false,
        error: { code: 'negative', message: 'No negative numbers' },
      });
      assert.deepEqual(await client.request('add', { a: 1, b: 0 }), {
        ok: false,
        error: { code: 'failed', message: 'boom' },
      });
    } finally {
      close();
    }
  });

  it('checks what arrives against its schema, on the side that receives it', async () => {
    const { client, server, seen, close, port1, port2 } = pair();
    try {
      // an ask that does not fit is answered 'invalid' and never reaches the handler
      const bad = await client.request('add', { a: 1, b: 'two' } as never);
      assert.equal(bad.ok, false);
      assert.ok(!bad.ok && bad.error.code === 'invalid' && /^Bad add request: .* at b$/.test(bad.error.message));
      // a reply that does not fit is 'invalid' for the asker
      const lie = await client.request('lie', {});
      assert.ok(!lie.ok && lie.error.code === 'invalid' && lie.error.message.startsWith('Bad lie reply'));
      // events that do not fit are dropped, and so is what is not an envelope at all
      server.send({ type: 'tick', n: 1.5 } as never);
      client.send({ type: 'hello' } as never);
      port2.postMessage({ type: 'tick', n: 3 });
      port1.postMessage('hello');
      await pause(20);
      assert.deepEqual(seen.ticks, []);
      assert.deepEqual(seen.hello, []);
      assert.equal(seen.invalid.filter((w) => w.startsWith('client event')).length, 1);
      assert.equal(seen.invalid.filter((w) => w.startsWith('server event')).length, 1);
      const unknown = await client.request('nothing' as never, {} as never);
      assert.deepEqual(unknown, { ok: false, error: { code: 'invalid', message: 'Unknown request nothing' } });
    } finally {
      close();
    }
  });

  it('cancels: the asker gets "cancelled" at once, the handler sees its signal aborted', async () => {
    const { client, seen, close } = pair();
    try {
      const abort = new AbortController();
      const t0 = performance.now();
      const pending = client.request('wait', { ms: 200 }, { signal: abort.signal });
      setTimeout(() => abort.abort(), 20);
      const r = await pending;
      assert.deepEqual(r, { ok: false, error: { code: 'cancelled', message: 'Cancelled' } });
      assert.ok(performance.now() - t0 < 150, 'resolved when aborted, not when the handler ended');
      await pause(250);
      assert.deepEqual(seen.cancelled, [true]);
      const already = await client.request('add', { a: 1, b: 1 }, { signal: AbortSignal.abort() });
      assert.equal(already.ok, false);
    } finally {
      close();
    }
  });

  it('transfers buffers: a transferred reply leaves the sender, an event with a transfer list too', async () => {
    const { client, seen, close } = pair();
    try {
      const r = await client.request('fill', { n: 4 });
      assert.ok(r.ok);
      assert.deepEqual([...r.value.data], [7, 7, 7, 7]);
      assert.equal(seen.filled[0].byteLength, 0, "the server's array was handed over, not copied");
      const data = new Float64Array(8);
      const { port1, port2 }: { port1: MessagePort; port2: MessagePort } = new MessageChannel();
      const other = connect(link, portEndpoint(port1));
      other.send({ type: 'hello', name: 'x' }, [data.buffer]);
      assert.equal(data.byteLength, 0, 'the buffer was handed over');
      other.close();
      port1.close();
      port2.close();
    } finally {
      close();
    }
  });

  it('closing resolves waiting requests as "closed", and later ones too', async () => {
    const { client, close } = pair();
    try {
      const pending = client.request('wait', { ms: 100 });
      client.close('The worker stopped');
      assert.deepEqual(await pending, { ok: false, error: { code: 'closed', message: 'The worker stopped' } });
      assert.deepEqual(await client.request('add', { a: 1, b: 2 }), {
        ok: false,
        error: { code: 'closed', message: 'The worker stopped' },
      });
    } finally {
      close();
    }
  });

  it("a port handed to a new link does not give it the old link's late replies", async () => {
    const { client, port1, close } = pair();
    try {
      // the old link asks something slow and is closed before the reply (a warm worker taken for a load)
      const old = client.request('wait', { ms: 30 });
      client.close('Taken');
      const next = connect(link, portEndpoint(port1));
      const asked = next.request('wait', { ms: 90 });
      await pause(60);
      assert.equal(next.waiting, 1, "the old link's reply did not settle the new link's request");
      assert.deepEqual(await old, { ok: false, error: { code: 'closed', message: 'Taken' } });
      assert.deepEqual(await asked, { ok: true, value: { aborted: false } });
      assert.equal(next.waiting, 0);
      next.close();
    } finally {
      close();
    }
  });
});
