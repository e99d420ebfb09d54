/// <reference lib="webworker" />
import type { ToWorker } from './protocol';
import { createLabHandler } from './handler';

/** The lab's trainer off the main thread: the page sends commands and only draws what comes back. */
declare const self: DedicatedWorkerGlobalScope;

const handle = createLabHandler((message, transfer = []) => self.postMessage(message, transfer));
self.onmessage = (event: MessageEvent<ToWorker>) => void handle(event.data);
