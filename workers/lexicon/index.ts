/**
 * Lexicon as the platform sees it: one descriptor (shared/app.ts). Listed in
 * workers/apps.ts; nothing else outside this folder names Lexicon.
 */
import { defineApp } from '../../shared/app';
import routes from './routes';

declare module '../../shared/auth/scopes' {
  interface ScopeMap {
    lexicon: true;
  }
}

export default defineApp({
  slug: 'lexicon',
  name: 'Lexicon',
  icon: '☰',
  purpose: 'A fast, strict IT helpdesk with an audit trail of every change.',
  routes,
  scopes: { lexicon: 'Use the Lexicon helpdesk API as you: tickets, comments, and (for agents) status, assignee and priority' },
});
