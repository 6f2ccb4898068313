/**
 * Aura as the platform sees it: one descriptor (shared/app.ts). Listed in
 * workers/apps.ts; nothing else outside this folder names Aura, except its room's
 * class, re-exported from durable-objects/index.ts and bound in wrangler.toml.
 */
import { AuraRoom } from '../../durable-objects/aura-room';
import { defineApp } from '../../shared/app';
import { purgeEnded } from './repository';
import web from './web';

declare module '../../shared/auth/scopes' {
  interface ScopeMap {
    aura: true;
  }
}

/** Ended rooms are listed for their owner this long, then deleted. */
const ENDED_ROOMS_KEPT_MS = 30 * 86_400_000;

export default defineApp({
  slug: 'aura',
  name: 'Aura',
  icon: '≋',
  purpose: 'Stream audio to the edge and watch its spectrum live, with everyone who has the link.',
  routes: web,
  scopes: { aura: 'Join your Aura rooms over the WebSocket as you: present (send audio, change settings) where you may' },
  durableObjects: { AURA_ROOM: AuraRoom },
  cron: [
    {
      name: 'aura.purge_ended',
      run: async (env, now) => ({ deleted: await purgeEnded(env.DB, now - ENDED_ROOMS_KEPT_MS) }),
    },
  ],
});
