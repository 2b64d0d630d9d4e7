#!/usr/bin/env node
// Runs a command with the environment Dawn-for-Node needs on GPU-less machines: SwiftShader's Vulkan driver,
// which Debian's chromium package installs. Used by the unit tests, the CLI and the benchmarks.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';

const ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';
const env = { ...process.env };
if (!env.VK_ICD_FILENAMES && existsSync(ICD)) env.VK_ICD_FILENAMES = ICD;
const [cmd, ...args] = process.argv.slice(2);
if (!cmd) {
  console.error('usage: with-webgpu-env <command> [args...]');
  process.exit(2);
}
const bin = existsSync(`node_modules/.bin/${cmd}`) ? `node_modules/.bin/${cmd}` : cmd;
const child = spawn(bin, args, { stdio: 'inherit', env });
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
