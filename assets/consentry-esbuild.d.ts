// Types of the esbuild plugin of @consentry/widget (consentry-esbuild.js).
import type { Plugin } from 'esbuild';

/** Copies the widget's WebAssembly modules and stylesheet into an esbuild bundle (esbuild does
 *  not follow `new URL('./file', import.meta.url)` by itself). Needs `format: 'esm'`. */
export declare function consentry(): Plugin;
