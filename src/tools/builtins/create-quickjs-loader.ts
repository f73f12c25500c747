import {
  newQuickJSWASMModuleFromVariant,
  newVariant,
  RELEASE_SYNC,
  type QuickJSWASMModule,
} from 'quickjs-emscripten';

const WASM_PAGE_BYTES = 64 * 1024;
// The prebuilt module is compiled for a 16 MiB initial memory (static data, C stack, heap).
const INITIAL_MEMORY_BYTES = 16 * 1024 * 1024;
// What the module itself occupies before a snippet allocates anything (measured: about 6 MiB).
const MODULE_OVERHEAD_BYTES = 8 * 1024 * 1024;

interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(deltaPages: number): number;
}

// The project's `lib` carries no WebAssembly typings; Node provides the global at runtime.
const { Memory: WasmMemoryConstructor } = (
  globalThis as unknown as {
    WebAssembly: { Memory: new (descriptor: { initial: number; maximum: number }) => WasmMemory };
  }
).WebAssembly;

export interface LoadedQuickJs {
  module: QuickJSWASMModule;
  /** Set when the WASM memory could not grow: the run hit the memory cap. */
  heap: { exhausted: boolean };
}

export interface QuickJsLoader {
  load(): Promise<LoadedQuickJs>;
  /** Drops the module after a failure that may have corrupted it; the next load rebuilds it. */
  discard(): void;
}

/**
 * Loads one QuickJS WASM module, lazily, with a WebAssembly memory capped near
 * `heapLimitBytes`. The cap is what actually bounds a snippet: in the Emscripten build
 * `runtime.setMemoryLimit` only bounds single allocations, because QuickJS cannot read block
 * sizes there (quickjs-emscripten issues #255 and #271), so many small arrays or buffers would
 * grow the process to the 2 GiB WASM ceiling. Runs are synchronous, so one runtime at a time
 * uses the module and the cap applies per run.
 */
export function createQuickJsLoader(options: { heapLimitBytes: number }): QuickJsLoader {
  let loading: Promise<LoadedQuickJs> | undefined;

  async function instantiate(): Promise<LoadedQuickJs> {
    const heap = { exhausted: false };
    const maximumBytes = Math.max(
      INITIAL_MEMORY_BYTES,
      options.heapLimitBytes + MODULE_OVERHEAD_BYTES,
    );
    const memory = new WasmMemoryConstructor({
      initial: INITIAL_MEMORY_BYTES / WASM_PAGE_BYTES,
      maximum: Math.ceil(maximumBytes / WASM_PAGE_BYTES),
    });
    // Emscripten grows the heap through this JS method and turns a failure into a NULL malloc.
    // Recording it tells a real out-of-memory apart from a snippet that throws `null` itself,
    // which is all QuickJS can throw when it cannot even allocate the error object.
    const grow = memory.grow.bind(memory);
    memory.grow = (delta: number): number => {
      try {
        return grow(delta);
      } catch (error) {
        heap.exhausted = true;
        throw error;
      }
    };
    const module = await newQuickJSWASMModuleFromVariant(
      newVariant(RELEASE_SYNC, { wasmMemory: memory }),
    );
    return { module, heap };
  }

  return {
    load() {
      loading ??= instantiate().catch((error: unknown) => {
        loading = undefined;
        throw error;
      });
      return loading;
    },
    discard() {
      loading = undefined;
    },
  };
}
