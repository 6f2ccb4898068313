/** Melos's own settings, validated like the platform's (shared/env.ts). */
import * as z from 'zod';
import { megabytes, settings } from '../../shared/env';

export type MelosConfig = {
  /** What one account's renders may take in R2 together, in bytes (a 10-minute WAV is 106 MB). */
  userStorageBytes: number;
};

export const melosConfig = settings(
  z.object({ MELOS_USER_STORAGE_MB: megabytes('MELOS_USER_STORAGE_MB', 2048) }).transform((v): MelosConfig => ({ userStorageBytes: v.MELOS_USER_STORAGE_MB })),
);
