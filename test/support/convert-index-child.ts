/** Converts the index at argv[2] (of format 2, 3 or 4) and reports each batch on stdout: a process to kill half-way. */
import { RecordIndex, convertIndex } from '../../firmware/recording/record-index.ts';

const location = process.argv[2]!;
await convertIndex(location, {}, (p) => process.stdout.write(`converted ${p.converted}\n`));
const index = new RecordIndex(location);
await index.open();
await index.close();
process.stdout.write('done\n');
