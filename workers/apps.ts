/**
 * The six apps. Each becomes a Hono sub-app mounted at `/<slug>` once it exists:
 * add it to `SUB_APPS` and the home page links to it instead of saying
 * "coming soon". Apps never import each other; what they share lives in shared/.
 */
import type { Hono } from 'hono';
import type { AppEnv } from '../shared/context';
import codebin from './codebin/routes';
import lexicon from './lexicon/routes';

export const APPS = [
  { slug: 'codebin', name: 'CodeBin', icon: '⌘', purpose: 'Share code with short links, expiry, burn after reading and server-side highlighting.' },
  { slug: 'insightdash', name: 'InsightDash', icon: '◔', purpose: 'Send your own time series in; read SQL-powered charts out.' },
  { slug: 'oracle', name: 'Oracle', icon: '◷', purpose: 'A dead man’s switch: check in, or your encrypted messages go out.' },
  { slug: 'lexicon', name: 'Lexicon', icon: '☰', purpose: 'A fast, strict IT helpdesk with an audit trail of every change.' },
  { slug: 'aura', name: 'Aura', icon: '≋', purpose: 'Stream audio to the edge and watch its spectrum live.' },
  { slug: 'melos', name: 'Melos', icon: '♫', purpose: 'Turn a recipe into music, downloadable as MIDI and WAV.' },
] as const;

export type AppSlug = (typeof APPS)[number]['slug'];

/** The apps that exist, by slug. */
export const SUB_APPS: Partial<Record<AppSlug, Hono<AppEnv>>> = { codebin, lexicon };
