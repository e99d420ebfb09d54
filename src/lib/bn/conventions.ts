/**
 * The two running-average conventions in use, defined once for the library, the widgets and the
 * lab. They weight the new batch oppositely (m_pytorch = 1 − m_keras), default to different ε and
 * feed the running variance different estimates. Pure data, so schemas and shells can import it.
 */
export type Convention = 'pytorch' | 'keras';

export const CONVENTIONS = {
  /** running = (1 − m)·running + m·batch; the running variance gets the UNBIASED batch variance. */
  pytorch: { momentum: 0.1, eps: 1e-5, variance: 'unbiased' },
  /** moving = m·moving + (1 − m)·batch; tfjs-layers stores the BIASED batch variance (tf.moments). */
  keras: { momentum: 0.99, eps: 1e-3, variance: 'biased' },
} as const;
