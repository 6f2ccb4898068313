/**
 * `cloudflare:workers` exists only inside workerd. The e2e files run in Node and import
 * the route table (workers/app.tsx, for the coverage check), which reaches Aura's
 * Durable Object class; its base class is all they need, and they never construct it.
 */
export class DurableObject {}
