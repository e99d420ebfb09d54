/** Scheduling shared by the training loop and the sweeps. */

/** Lets queued messages (pause, export, cancel) in between steps without a visible delay. */
export const yieldToEvents = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));
