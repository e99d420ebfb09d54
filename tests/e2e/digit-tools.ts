import type { Page } from '@playwright/test';

/** The lab's digit tools: the four readings of a drawn digit, by their accessible labels. */
export const READINGS = ['BN network, inference mode', 'plain network', 'BN network, training mode on a batch of one', 'BN network, training mode in a batch of 31 test digits and yours'];

export const reading = (page: Page, label: string) => page.getByLabel(label, { exact: true });
export const pad = (page: Page) => page.getByRole('img', { name: 'Draw a digit' });
