#!/usr/bin/env bash
# `npm test`: every check the project has, in one command, on a fresh machine.
# Prepares its own environment (Debian's chromium, the Vulkan loader, SwiftShader for WebGPU without a GPU), then runs
# typecheck, lint, content validation, unit + engine tests (Node WebGPU on Dawn), the production build with its bundle
# budget, and the Playwright e2e tests in Chromium. Ends with each runner's summary and one combined line.
set -uo pipefail
cd "$(dirname "$0")/.."

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

# --- environment ---------------------------------------------------------------------------------------------------
need_pkgs=()
[ -x /usr/bin/chromium ] || need_pkgs+=(chromium)
# (grep without -q reads to the end: with pipefail, grep -q's early exit would fail ldconfig with SIGPIPE.)
ldconfig -p 2>/dev/null | grep 'libvulkan.so.1' >/dev/null || need_pkgs+=(libvulkan1)
# PyTorch for the tests that run exported train.py files (scripts/export.test.ts), as Debian packages it.
/usr/bin/python3 -c 'import torch' 2>/dev/null || need_pkgs+=(python3-torch)
if [ ${#need_pkgs[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    say "installing Debian packages: ${need_pkgs[*]}"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_pkgs[@]}" >/dev/null || {
      echo "could not install ${need_pkgs[*]}: install them as root (apt-get install -y ${need_pkgs[*]})" >&2; exit 1; }
  else
    echo "missing Debian packages: ${need_pkgs[*]}. As root: apt-get update && apt-get install -y ${need_pkgs[*]}" >&2
    exit 1
  fi
fi
ICD=/usr/lib/chromium/vk_swiftshader_icd.json
[ -f "$ICD" ] || { echo "SwiftShader's Vulkan driver ($ICD) is missing: reinstall the chromium package" >&2; exit 1; }
export VK_ICD_FILENAMES="${VK_ICD_FILENAMES:-$ICD}"
export CHROMIUM_PATH="${CHROMIUM_PATH:-/usr/bin/chromium}"
[ -d node_modules ] || { say "installing npm packages"; npm ci --no-audit --no-fund || exit 1; }

mkdir -p test-results
# The packed MNIST digits (public/data/mnist.bin) for the unit tests and the build (which `vite build` alone skips).
npx tsx scripts/pack-mnist.ts || exit 1
# The CPU backend's WebAssembly SIMD kernels (engine/backends/cpu/simd/wasmBinaries.js), built from source.
npx tsx scripts/build-wasm.ts || exit 1
# A free port for the e2e preview server (a server left running on the default port must not break the run).
export E2E_PORT="${E2E_PORT:-$(node -e "const s=require('net').createServer();s.listen(0,()=>{console.log(s.address().port);s.close()})")}"
failed=()
step() { # name, command...
  local name=$1; shift
  say "$name"
  "$@" || failed+=("$name")
}

# --- checks --------------------------------------------------------------------------------------------------------
step typecheck npx tsc -p tsconfig.json --noEmit
step lint npx biome check .
[ -f scripts/validate-content.ts ] && step content npx tsx scripts/validate-content.ts
step "unit and engine tests" npx vitest run --reporter=default --reporter=json --outputFile.json=test-results/vitest.json
if step build npx vite build --logLevel warn; then
  step "bundle budget" node scripts/bundle-size.mjs
  PLAYWRIGHT_JSON_OUTPUT_NAME=test-results/playwright.json step e2e npx playwright test --reporter=list,json
else
  failed+=("e2e (not run: the build failed)")
fi

# --- summary -------------------------------------------------------------------------------------------------------
say summary
node scripts/test-summary.mjs test-results/vitest.json test-results/playwright.json
if [ ${#failed[@]} -gt 0 ]; then
  printf 'failed stages: %s\n' "$(IFS=', '; echo "${failed[*]}")"
  exit 1
fi
echo "all stages passed"
