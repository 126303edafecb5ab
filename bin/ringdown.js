#!/usr/bin/env node
// The ringdown command: runs the compiled CLI (npm install builds it into dist/).
import { main } from '../dist/tools/cli.js';

process.exitCode = await main(process.argv.slice(2));
