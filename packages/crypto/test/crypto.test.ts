// Runs the runner-independent suite (suite.ts) under node:test.
import { test } from 'node:test';
import { runSuite } from './suite.ts';

runSuite((name, fn) => {
  test(name, fn);
});
