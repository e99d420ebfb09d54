import { describe, expect, it, vi } from 'vitest';
import { answer, oneInFlight, openChannel, RequestFailed, type Port } from '../../../src/lib/train/core/channel';

type Req = { type: 'double'; n: number } | { type: 'fail' };
type Replies = { double: number; fail: never };

/** A port whose worker side the test plays by hand. */
function fakePort() {
  const posted: unknown[] = [];
  let terminated = false;
  const port: Port<unknown> = { onmessage: null, onerror: null, postMessage: (m) => void posted.push(m), terminate: () => void (terminated = true) };
  const deliver = (data: unknown) => port.onmessage!(new MessageEvent('message', { data }));
  return { port, posted, deliver, terminated: () => terminated };
}

describe('the worker channel', () => {
  it('matches replies to requests by id, in any order, and passes everything else on as events', async () => {
    const { port, posted, deliver } = fakePort();
    const events: unknown[] = [];
    const channel = openChannel<{ type: 'go' }, Req, Replies, unknown>(port, (e) => events.push(e), () => undefined);
    const a = channel.request({ type: 'double', n: 2 });
    const b = channel.request({ type: 'double', n: 5 });
    channel.send({ type: 'go' });
    expect(posted).toEqual([{ type: 'double', n: 2, id: 1 }, { type: 'double', n: 5, id: 2 }, { type: 'go' }]);
    deliver({ type: 'reply', id: 2, reply: 10 });
    deliver({ type: 'progress', done: 1 });
    deliver({ type: 'reply', id: 1, reply: 4 });
    expect(await Promise.all([a, b])).toEqual([4, 10]);
    expect(events).toEqual([{ type: 'progress', done: 1 }]);
  });

  it('rejects a refused request with its failure as data, and every open request when the worker dies', async () => {
    const { port, deliver } = fakePort();
    const crashes: string[] = [];
    const channel = openChannel<never, Req, Replies, unknown>(port, () => undefined, (why) => crashes.push(why));
    const refused = channel.request({ type: 'fail' });
    deliver({ type: 'refused', id: 1, failure: { cause: 'not-ready', detail: 'the networks are not ready yet' } });
    await expect(refused).rejects.toMatchObject({ failure: { cause: 'not-ready', detail: 'the networks are not ready yet' } });
    const open = channel.request({ type: 'double', n: 1 });
    // Node has no ErrorEvent: the channel reads only its message and preventDefault.
    port.onerror!({ message: 'simulated crash', preventDefault: () => undefined } as ErrorEvent);
    await expect(open).rejects.toBeInstanceOf(RequestFailed);
    await expect(open).rejects.toMatchObject({ failure: { cause: 'crashed', detail: 'simulated crash' } });
    expect(crashes).toEqual(['simulated crash']);
  });

  it('answers on the worker side with the reply, or the failure its classifier makes of the error', async () => {
    const out: unknown[] = [];
    const post = (m: unknown) => void out.push(m);
    await answer(3, post, async () => ({ reply: 6 }), () => ({ cause: 'failed' }));
    await answer(4, post, async () => Promise.reject(new Error('boom')), (err) => ({ cause: 'failed', detail: (err as Error).message }));
    expect(out).toEqual([{ type: 'reply', id: 3, reply: 6 }, { type: 'refused', id: 4, failure: { cause: 'failed', detail: 'boom' } }]);
  });

  it('runs a task one at a time, once more after a burst of calls', async () => {
    let runs = 0;
    let done = 0;
    let release: () => void = () => undefined;
    const trigger = oneInFlight(() => {
      runs += 1;
      return new Promise<void>((resolve) => (release = resolve)).then(() => {
        done += 1;
      });
    });
    trigger();
    trigger();
    trigger();
    expect(runs).toBe(1);
    release();
    // The burst asked again while the first ran: exactly one more run follows it.
    await vi.waitFor(() => expect(runs).toBe(2));
    release();
    await vi.waitFor(() => expect(done).toBe(2));
    expect(runs).toBe(2);
  });
});
