/**
 * A cell's code in a link: `?cell.<cell id>=<base64url of the UTF-8 code>#cell-<id>-root`. The page
 * shows code that arrives this way and runs it only when the reader presses Run (mount.ts).
 */
/** Longest encoded code a link carries (about 4.5 KB of code): links stay well under URL limits. */
export const MAX_ENCODED = 6000;

const paramName = (cellId: string): string => `cell.${cellId}`;

export function encodeCode(code: string): string {
  let binary = '';
  for (const byte of new TextEncoder().encode(code)) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function decodeCode(encoded: string): { code: string } | { error: string } {
  if (encoded.length > MAX_ENCODED) return { error: `it is longer than ${MAX_ENCODED.toLocaleString('en-US')} characters` };
  if (!/^[A-Za-z0-9_-]*$/.test(encoded) || encoded.length % 4 === 1) return { error: 'it is not base64url text' };
  try {
    const binary = atob(encoded.replace(/-/g, '+').replace(/_/g, '/'));
    const code = new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
    return code.trim() ? { code } : { error: 'it is empty' };
  } catch {
    return { error: 'it is not UTF-8 text' };
  }
}

/** The link to this page with `code` in `cellId`, or why it cannot be made. */
export function shareLink(pageHref: string, cellId: string, code: string): { url: string } | { error: string } {
  const encoded = encodeCode(code);
  if (encoded.length > MAX_ENCODED) {
    return { error: `This code is too long to share in a link: ${encoded.length.toLocaleString('en-US')} characters encoded, at most ${MAX_ENCODED.toLocaleString('en-US')}.` };
  }
  const url = new URL(pageHref);
  url.searchParams.set(paramName(cellId), encoded);
  url.hash = `cell-${cellId}-root`;
  return { url: url.href };
}

/** The code a link brings for `cellId`: none, the code, or why it could not be read. */
export function linkedCode(search: string, cellId: string): null | { code: string } | { error: string } {
  const encoded = new URLSearchParams(search).get(paramName(cellId));
  return encoded === null ? null : decodeCode(encoded);
}
