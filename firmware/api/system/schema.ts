import { z } from 'zod';
import { networkSettingsSchema, systemSettingsSchema, timeSettingsSchema } from '../../app/vocabulary.ts';
import { revisionField } from '../settings/revision.ts';

const revision = { revision: revisionField.optional() };

/** The whole IP settings page; its rules between fields are the service's. */
export const networkBody = networkSettingsSchema.extend(revision);

export const confirmTokenBody = z.object({ token: z.string().min(8).max(64) }).strict();

/** The time page; `dateTime` (日期-时间, ISO 8601 or epoch ms) only while NTP is off. */
export const timeBody = timeSettingsSchema.extend({
  ...revision,
  dateTime: z
    .union([z.number().int(), z.string().max(40).refine((v) => Number.isFinite(Date.parse(v)), 'an ISO 8601 date and time such as 2026-12-02T08:30:00+08:00')])
    .optional()
    .transform((v) => (v === undefined ? undefined : typeof v === 'number' ? v : Date.parse(v))),
});

export const systemBody = systemSettingsSchema.extend(revision);
