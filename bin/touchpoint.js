#!/usr/bin/env node
// The `touchpoint` CLI. Runs the TypeScript sources directly (no build step) through tsx.
require('tsx/cjs');
require('../client/cli/main.ts');
