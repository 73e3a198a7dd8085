#!/usr/bin/env node
// Runs before `npm start` and `npm test`: installs the npm dependencies when they are missing or stale,
// so a fresh clone needs only the one command. Plain JavaScript: it runs before anything is installed.
const { execSync } = require('node:child_process');
const { existsSync, statSync } = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const marker = path.join(root, 'node_modules', '.package-lock.json');
const lock = path.join(root, 'package-lock.json');
const stale = !existsSync(marker) || statSync(lock).mtimeMs > statSync(marker).mtimeMs;
if (stale) {
  // `npm install`, not `npm ci`: it keeps the lockfile's versions, and unlike `npm ci` it does not refuse a
  // lockfile that lacks some other platform's optional binaries (a registry mirror may not list them all).
  console.log('Installing npm dependencies (npm install) ...');
  execSync('npm install --no-audit --no-fund', { cwd: root, stdio: 'inherit' });
}
