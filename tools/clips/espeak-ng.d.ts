/** The npm package `espeak-ng` (GPL-3.0-or-later): espeak-ng's command line built to WebAssembly. */
declare module 'espeak-ng' {
  interface ESpeakNgModule {
    FS: { readFile(path: string): Uint8Array; writeFile(path: string, data: string | Uint8Array): void };
  }
  interface ESpeakNgOptions {
    arguments: string[];
    print?: (line: string) => void;
    printErr?: (line: string) => void;
    preRun?: ((module: ESpeakNgModule) => void)[];
    instantiateWasm?: (imports: object, done: (instance: object, module: object) => void) => object;
  }
  export default function ESpeakNg(options: ESpeakNgOptions): Promise<ESpeakNgModule>;
}
