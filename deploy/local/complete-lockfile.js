#!/usr/bin/env node
// The npm registry reachable from this project's machines serves only the platform packages of
// the platforms it supports (Linux x64, arm64, musl). `npm install` then leaves the other
// platforms' optional binaries (@swc/core-darwin-arm64, @turbo/windows-64, …) out of
// package-lock.json, and `npm ci` refuses that lock as "Missing: … from lock file".
// This adds the entry a full registry would have written: name, exact version, os and cpu, so
// that `npm ci` skips it on any platform it does not fit. Run after `npm install`:
//   node deploy/local/complete-lockfile.js
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const lockPath = path.join(__dirname, '..', '..', 'package-lock.json');
const lock = JSON.parse(fs.readFileSync(lockPath, 'utf8'));

const OS = [
  [/darwin/, 'darwin'],
  [/win32|windows/, 'win32'],
  [/android/, 'android'],
  [/freebsd/, 'freebsd'],
  [/openharmony/, 'openharmony'],
  [/linux/, 'linux'],
];
const CPU = [
  [/arm64|aarch64/, 'arm64'],
  [/x64|-64$|x86_64/, 'x64'],
  [/ia32/, 'ia32'],
  [/arm-|armv7|gnueabihf|eabi/, 'arm'],
  [/ppc64/, 'ppc64'],
  [/s390x/, 's390x'],
  [/riscv64/, 'riscv64'],
  [/loong64/, 'loong64'],
];
const pick = (table, name) => table.find(([re]) => re.test(name))?.[1];

let added = 0;
for (const [location, entry] of Object.entries(lock.packages)) {
  for (const [name, spec] of Object.entries(entry.optionalDependencies ?? {})) {
    const sibling = `${location ? `${location}/` : ''}node_modules/${name}`;
    if (lock.packages[sibling] || lock.packages[`node_modules/${name}`]) continue;
    const os = pick(OS, name.split('/').pop());
    const cpu = pick(CPU, name.split('/').pop());
    if (!os || !cpu || !/^\d+\.\d+\.\d+/.test(spec)) {
      console.error(`complete-lockfile: cannot place ${name}@${spec}; left out`);
      continue;
    }
    lock.packages[`node_modules/${name}`] = {
      version: spec,
      ...(entry.dev ? { dev: true } : {}),
      optional: true,
      os: [os],
      cpu: [cpu],
    };
    added += 1;
  }
}
const sorted = Object.fromEntries(
  Object.entries(lock.packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))),
);
lock.packages = sorted;
fs.writeFileSync(lockPath, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`complete-lockfile: ${added} platform entries added`);
