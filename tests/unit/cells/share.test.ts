import { describe, expect, it } from 'vitest';
import { MAX_ENCODED, decodeCode, encodeCode, linkedCode, shareLink } from '../../../components/code-cell/share';

describe('code in a link', () => {
  it('round-trips code with any characters through base64url', () => {
    const code = 'const μ = tf.mean(x); // ε under √\n\tconsole.log(`${μ}` + "/+=?&#");';
    const encoded = encodeCode(code);
    expect(encoded).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCode(encoded)).toEqual({ code });
    const link = shareLink('http://127.0.0.1:4321/chapters/the-transform/?t.n=4#top', 'algorithm-1', code);
    if (!('url' in link)) throw new Error(link.error);
    const url = new URL(link.url);
    expect(url.hash).toBe('#cell-algorithm-1-root');
    expect(url.searchParams.get('t.n')).toBe('4');
    expect(linkedCode(url.search, 'algorithm-1')).toEqual({ code });
    expect(linkedCode(url.search, 'fold')).toBeNull();
  });

  it('names what is wrong with a malformed or oversized link, and refuses to make one too long', () => {
    expect(decodeCode('%%not-code!')).toEqual({ error: 'it is not base64url text' });
    expect(decodeCode('A')).toEqual({ error: 'it is not base64url text' });
    expect(decodeCode('_w')).toEqual({ error: 'it is not UTF-8 text' });
    expect(decodeCode('')).toEqual({ error: 'it is empty' });
    expect(decodeCode('A'.repeat(MAX_ENCODED + 4))).toHaveProperty('error');
    const long = shareLink('http://127.0.0.1/', 'fold', 'x'.repeat(5000));
    expect(long).toEqual({ error: 'This code is too long to share in a link: 6,667 characters encoded, at most 6,000.' });
  });
});
