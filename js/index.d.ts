// Type declarations of tfjs-backend-cwasm (kept by hand).
import { KernelBackend } from '@tensorflow/tfjs-core';

/** A WebAssembly variant of the backend. */
export type CwasmVariant = 'scalar' | 'simd' | 'threads';

/** What the running backend uses. */
export interface CwasmBackendInfo {
  variant: CwasmVariant;
  /** Threads in use, the calling thread included. */
  threads: number;
  /** The vector mapping compiled in: 'wasm-simd128' or 'scalar'. */
  vec: string;
}

/** Instantiates one .wasm file with the given imports (platform adapters). */
export type CwasmInstantiate =
    (fileName: string, imports: WebAssembly.Imports) =>
        Promise<{instance: WebAssembly.Instance, module: WebAssembly.Module}>;

export const version: string;
export const BACKEND_NAME: 'cwasm';

/** The TF.js backend; tensors live in wasm memory. */
export class BackendCwasm extends KernelBackend {
  readonly info: CwasmBackendInfo;
}

/**
 * Where the .wasm files (and the threaded worker) are: a prefix ending in '/',
 * or a map from file name to URL. Call before the backend starts.
 */
export function setWasmPaths(prefixOrFileMap: string|{[fileName: string]: string}): void;

/** Threads for the threaded variant (default: cores, at most 8). Call before start. */
export function setThreadsCount(count: number): void;

/** Forces a variant; null restores detection. Call before start. */
export function setVariant(variant: CwasmVariant|null): void;

/** Instantiates through the given function instead of fetch / fs. */
export function setInstantiate(instantiate: CwasmInstantiate|null): void;

/** Hands in the wasm bytes per variant. */
export function setWasmBinaries(binaries: Partial<Record<CwasmVariant, ArrayBuffer>>): void;

/** True when the engine validates a SIMD128 module. */
export function simdSupported(): boolean;

/** True when shared memory and workers are usable (cross-origin isolated pages). */
export function threadsSupported(): boolean;

/** The variant the backend will use. */
export function chooseVariant(): CwasmVariant;

/** The running backend's variant and threads, or null before it starts. */
export function getBackendInfo(): CwasmBackendInfo|null;

/** Threads in use by the running backend (1 before it starts). */
export function getThreadsCount(): number;
