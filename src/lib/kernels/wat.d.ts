/** A WebAssembly text module, assembled by wabt at build time (scripts/vite-wat.ts). */
declare module '*.wat' {
  /** The module's bytes, its memory import as written. */
  export const plain: Uint8Array<ArrayBuffer>;
  /** The same with the memory import shared (tfjs's threaded build). */
  export const shared: Uint8Array<ArrayBuffer>;
}
