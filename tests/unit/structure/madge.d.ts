/** The part of madge's API the import test uses (madge ships no types). */
declare module 'madge' {
  interface MadgeResult {
    /** Each circle as the files in it. */
    circular(): string[][];
    /** Every file with the files it imports. */
    obj(): Record<string, string[]>;
  }
  interface MadgeConfig {
    baseDir?: string;
    fileExtensions?: string[];
    tsConfig?: string;
  }
  export default function madge(path: string | string[], config?: MadgeConfig): Promise<MadgeResult>;
}
