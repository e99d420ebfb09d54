/**
 * The one way the site talks to a training worker, the lab's and the chapter's alike: commands
 * (`send`), requests answered once by id (`request`), and events the worker posts by itself.
 * A request's answer is data: its reply, or a failure with a cause the page words.
 */

/** Why a request failed, as data (the protocols narrow `cause` to their own union). */
export interface RequestFailure<Cause extends string = string> {
  cause: Cause;
  detail?: string;
}

/** A request as it travels: the page's message with the id its answer will carry. */
export type Asked<Req> = Req & { id: number };

/** The worker's answer to one request. */
export type Answer<Reply, Cause extends string = string> =
  | { type: 'reply'; id: number; reply: Reply }
  | { type: 'refused'; id: number; failure: RequestFailure<Cause> };

/** What a worker, or the same handler on the main thread, offers the page. */
export interface Port<Out> {
  postMessage(message: Out, transfer?: Transferable[]): void;
  onmessage: ((event: MessageEvent) => void) | null;
  onerror: ((event: ErrorEvent) => void) | null;
  terminate(): void;
}

/** Each request's reply type, by the request's `type`. */
export type ReplyMap<Req extends { type: string }> = { [K in Req['type']]: unknown };

export interface Channel<Cmd, Req extends { type: string }, Replies extends ReplyMap<Req>> {
  send(msg: Cmd): void;
  /** Resolves with the reply; rejects with a `RequestFailed` (the worker refused, or it died). */
  request<R extends Req>(msg: R, transfer?: Transferable[]): Promise<Replies[R['type']]>;
  terminate(): void;
}

/** A request's failure as a rejection: `failure` holds the data. */
export class RequestFailed<Cause extends string = string> extends Error {
  constructor(readonly failure: RequestFailure<Cause>) {
    super(failure.detail ? `${failure.cause}: ${failure.detail}` : failure.cause);
  }
}

const isAnswer = (m: unknown): m is Answer<unknown> =>
  typeof m === 'object' && m !== null && ((m as { type?: unknown }).type === 'reply' || (m as { type?: unknown }).type === 'refused') && typeof (m as { id?: unknown }).id === 'number';

/**
 * Wires a port: answers settle their requests, everything else goes to `onEvent`; `onCrash`
 * hears the worker's error event (it died), and every request still out is refused as 'crashed'.
 */
export function openChannel<Cmd, Req extends { type: string }, Replies extends ReplyMap<Req>, Ev>(
  port: Port<Cmd | Asked<Req>>,
  onEvent: (event: Ev) => void,
  onCrash: (why: string) => void,
): Channel<Cmd, Req, Replies> {
  let nextId = 1;
  const pending = new Map<number, { resolve: (reply: never) => void; reject: (err: RequestFailed) => void }>();
  const refuseAll = (failure: RequestFailure): void => {
    for (const { reject } of pending.values()) reject(new RequestFailed(failure));
    pending.clear();
  };
  port.onmessage = (e: MessageEvent) => {
    const m: unknown = e.data;
    if (!isAnswer(m)) return onEvent(m as Ev);
    const waiting = pending.get(m.id);
    pending.delete(m.id);
    if (m.type === 'reply') waiting?.resolve(m.reply as never);
    else waiting?.reject(new RequestFailed(m.failure));
  };
  port.onerror = (e: ErrorEvent) => {
    e.preventDefault();
    const why = e.message || 'the worker stopped unexpectedly';
    refuseAll({ cause: 'crashed', detail: why });
    onCrash(why);
  };
  return {
    send: (msg) => port.postMessage(msg),
    request: (msg, transfer) =>
      new Promise((resolve, reject) => {
        const id = nextId++;
        pending.set(id, { resolve: resolve as (reply: never) => void, reject });
        port.postMessage({ ...msg, id }, transfer);
      }),
    terminate: () => {
      port.terminate();
      refuseAll({ cause: 'crashed', detail: 'the worker was closed' });
    },
  };
}

/**
 * The worker side: runs a request's handler and posts its answer, a reply or the failure
 * `classify` makes of what it threw.
 */
export async function answer<Reply, Cause extends string>(
  id: number,
  post: (m: Answer<Reply, Cause>, transfer?: Transferable[]) => void,
  work: () => Promise<{ reply: Reply; transfer?: Transferable[] }>,
  classify: (err: unknown) => RequestFailure<Cause>,
): Promise<void> {
  try {
    const { reply, transfer } = await work();
    post({ type: 'reply', id, reply }, transfer);
  } catch (err) {
    post({ type: 'refused', id, failure: classify(err) });
  }
}

/** An Error's message, or the thrown value as text. */
export const errorText = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/**
 * Runs `task` one at a time: a call while it runs asks for one more run after it (not one per
 * call), so a burst of inputs (a pen stroke) costs one request in flight and one after it.
 */
export function oneInFlight(task: () => Promise<void>): () => void {
  let running = false;
  let again = false;
  const run = (): void => {
    running = true;
    void task()
      .catch(() => undefined)
      .finally(() => {
        running = false;
        if (again) {
          again = false;
          run();
        }
      });
  };
  return () => {
    if (running) again = true;
    else run();
  };
}
