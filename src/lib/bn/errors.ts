/** A problem with the inputs to a normalization, worded for the reader who typed them. */
export class BnInputError extends Error {
  override name = 'BnInputError';
}
