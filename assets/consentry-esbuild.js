// esbuild plugin of @consentry/widget.
//
// esbuild does not follow `new URL('./file', import.meta.url)` (evanw/esbuild#795), so a
// bundle of the widget would not carry its WebAssembly modules and stylesheet and the page
// would 404 on them. This plugin turns each such URL in the package's own modules into an
// import of the file with esbuild's `file` loader: the file is copied to the output directory
// (under esbuild's `assetNames`) and the URL resolves to that copy at run time. Vite, webpack
// 5, Rollup and Parcel follow the URLs themselves and need nothing.
//
//   import * as esbuild from 'esbuild';
//   import { consentry } from '@consentry/widget/esbuild';
//   await esbuild.build({
//     entryPoints: ['src/main.js'], bundle: true, format: 'esm', splitting: true,
//     outdir: 'dist', plugins: [consentry()],
//   });
//
// `format: 'esm'` is required (the widget uses `import.meta.url` and `import()`); `splitting`
// keeps the on-demand modules (settings, receipts) out of the first download.
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE = dirname(fileURLToPath(import.meta.url));
// `new URL("name", import.meta.url)` with a string literal, as wasm-bindgen and the loader
// write it (minified or not).
const ASSET_URL = /new URL\((["'])([^"'`\\]+\.(?:wasm|css))\1,\s*import\.meta\.url\)/g;

/** The plugin: `plugins: [consentry()]`. */
export function consentry() {
  return {
    name: 'consentry',
    setup(build) {
      if (build.initialOptions.format && build.initialOptions.format !== 'esm') {
        throw new Error("@consentry/widget/esbuild: the widget needs format: 'esm'");
      }
      build.onLoad({ filter: /\.js$/ }, async (args) => {
        if (dirname(args.path) !== PACKAGE) return undefined;
        const source = await readFile(args.path, 'utf8');
        const imports = [];
        const contents = source.replace(ASSET_URL, (_, _q, file) => {
          const name = `__consentry_asset_${imports.length}`;
          const path = file.startsWith('./') ? file : `./${file}`;
          imports.push(`import ${name} from ${JSON.stringify(path)};`);
          return `new URL(${name}, import.meta.url)`;
        });
        if (!imports.length) return undefined;
        return { contents: `${imports.join('\n')}\n${contents}`, loader: 'js', resolveDir: PACKAGE };
      });
      // The package's wasm and stylesheet: copied as they are.
      build.onLoad({ filter: /\.(wasm|css)$/ }, async (args) => {
        if (dirname(args.path) !== PACKAGE) return undefined;
        return { contents: await readFile(join(args.path)), loader: 'file' };
      });
    },
  };
}
