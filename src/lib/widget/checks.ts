/**
 * Field checks for schemas: a parser from the BN library (which throws a message naming the
 * problem) turned into the schema's `check`. Pure, so tests in Node use the same judgement.
 */
export const checkWith =
  (parse: (text: string) => unknown) =>
  (text: string): string | null => {
    try {
      parse(text);
      return null;
    } catch (err) {
      return err instanceof Error ? err.message : String(err);
    }
  };
