/** Every way InsightDash refuses a request, with its status and what a person reads. */
import type { RefusalTable } from '../../shared/http/refusal';
import { MAX_POINTS_PER_REQUEST } from './points';

/** Most series one account may keep. */
export const MAX_SERIES = 1000;
/** Most distinct series one ingest request may name. */
export const MAX_SERIES_PER_REQUEST = 100;
export const MAX_DASHBOARDS = 50;
export const MAX_CARDS = 40;
export const MAX_ANNOTATIONS = 5000;

export type InsightRefusal =
  | 'too_many_points'
  | 'too_many_series'
  | 'nothing_stored'
  | 'too_many_refused'
  | 'too_dense'
  | 'series_gone'
  | 'points_quota'
  | 'dashboard_missing'
  | 'card_missing'
  | 'series_missing'
  | 'annotation_missing'
  | 'share_missing'
  | 'too_many_dashboards'
  | 'too_many_cards'
  | 'too_many_annotations';

const n = (x: number) => x.toLocaleString('en');

export const REFUSALS: RefusalTable<InsightRefusal> = {
  too_many_points: { status: 413, message: `A request may carry at most ${n(MAX_POINTS_PER_REQUEST)} points: send them in smaller requests.` },
  too_many_series: { status: 422, message: `A request may name at most ${MAX_SERIES_PER_REQUEST} series: send them in smaller requests.` },
  // The answer lists each refused point with its reason (members.errors).
  nothing_stored: { status: 422, message: 'No point was stored: every one was refused (the errors say where and why).' },
  too_many_refused: {
    status: 422,
    message: `More than ${n(MAX_POINTS_PER_REQUEST)} lines were refused, so nothing was stored: check the body’s format (the API reference shows each).`,
  },
  // The message says which limit (service.ts).
  too_dense: { status: 422, message: 'These points fall in hours too dense to rewrite: nothing was stored.' },
  // The message gives the figures (service.ts).
  points_quota: { status: 409, message: 'Your series keep as many raw points as an account may: nothing was stored. Delete series you no longer need.' },
  series_gone: {
    status: 409,
    message: 'A series this request names was deleted while it was being stored: nothing was stored. Send it again (the series is made anew).',
  },
  // Someone else's dashboard, card or series is the same 404 as one that does not exist.
  dashboard_missing: { status: 404, message: 'There is no dashboard of yours at this address.' },
  card_missing: { status: 404, message: 'There is no such card on this dashboard.' },
  series_missing: { status: 404, message: 'There is no series of yours at this address.', field: 'series' },
  annotation_missing: { status: 404, message: 'There is no annotation of yours at this address.' },
  share_missing: { status: 404, message: 'This share link does not work (any more). Ask its owner for a new one.' },
  too_many_dashboards: { status: 409, message: `You have ${MAX_DASHBOARDS} dashboards: delete one to make another.` },
  too_many_cards: { status: 409, message: `A dashboard holds at most ${MAX_CARDS} cards: remove one to add another.` },
  too_many_annotations: { status: 409, message: `You have ${n(MAX_ANNOTATIONS)} annotations: delete old ones to add more.` },
};
