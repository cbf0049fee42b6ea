import { z } from 'zod';
import { MAX_DO_NOT_RECORD, channelPatchSchema, doNotRecordEntrySchema, recordingPatchSchema } from '../../app/vocabulary.ts';
import { channelRefParam } from '../params.ts';
import { revisionField } from './revision.ts';

export const recordingPatch = recordingPatchSchema;
export const channelPatch = channelPatchSchema;

/** 复制到通道: the same parameters on several channels. */
export const channelsPatch = z
  .object({
    channels: z.array(channelRefParam).min(1).max(4096),
    settings: channelPatchSchema,
  })
  .strict();

export const doNotRecordAdd = z.object({ entries: z.array(doNotRecordEntrySchema).min(1).max(MAX_DO_NOT_RECORD), revision: revisionField.optional() }).strict();
export const doNotRecordReplace = z.object({ entries: z.array(doNotRecordEntrySchema).max(MAX_DO_NOT_RECORD), revision: revisionField.optional() }).strict();
export const doNotRecordPath = z.object({ number: z.string().min(1).max(32) });
