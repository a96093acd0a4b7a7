import type { Model } from 'mongoose';
import type { AccessLog } from '../domain/ports';
import type { AccessLogDocument } from './access-log.model';

/** The access log in its own collection; one insert per read. */
export function createAccessLog(entries: Model<AccessLogDocument>, newId: () => string): AccessLog {
  return {
    async record(entry) {
      await entries.create({ _id: newId(), ...entry });
    },
  };
}
