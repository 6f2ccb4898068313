/**
 * Every Durable Object class, re-exported by workers/index.ts (wrangler binds a
 * class by its export name from the main module; ES module exports are static, so
 * they cannot be generated from the app list). Each app also names its classes in
 * its descriptor's `durableObjects`; test/platform/structure.unit.test.ts checks that
 * the two lists and wrangler.toml agree.
 */
export { AuraRoom } from './aura-room';
