import { Schema, type Connection, type Model } from 'mongoose';

/** A calendar warning as stored (`_id` = "<year id>:<date>": one per transferred day). */
export interface CalendarWarningDocument {
  _id: string;
  schoolId: string;
  academicYearId: string;
  code: string;
  date: string;
  worksAs: number;
  announcedAt: string;
  workingDaysAhead: number;
  message: string;
  createdAt: Date;
}

/** The transfers of a year already looked at, at roster's version of the year (`_id` = year id). */
export interface SeenTransfersDocument {
  _id: string;
  schoolId: string;
  transfers: { date: string; worksAs: number }[];
  version: number;
  updatedAt: Date;
}

const warningSchema = new Schema<CalendarWarningDocument>(
  {
    _id: { type: String, required: true },
    schoolId: { type: String, required: true },
    academicYearId: { type: String, required: true },
    code: { type: String, required: true },
    date: { type: String, required: true },
    worksAs: { type: Number, required: true },
    announcedAt: { type: String, required: true },
    workingDaysAhead: { type: Number, required: true },
    message: { type: String, required: true },
    createdAt: { type: Date, required: true },
  },
  { collection: 'calendar_warnings', versionKey: false },
);
// A school's year's warnings (ListCalendarWarnings).
warningSchema.index({ schoolId: 1, academicYearId: 1 });

const seenSchema = new Schema<SeenTransfersDocument>(
  {
    _id: { type: String, required: true },
    schoolId: { type: String, required: true },
    transfers: {
      type: [new Schema({ date: String, worksAs: Number }, { _id: false })],
      default: [],
    },
    version: { type: Number, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'calendar_transfers_seen', versionKey: false },
);

export interface CalendarWarningModels {
  warnings: Model<CalendarWarningDocument>;
  seen: Model<SeenTransfersDocument>;
}

export function calendarWarningModels(connection: Connection): CalendarWarningModels {
  return {
    warnings: connection.model<CalendarWarningDocument>('CalendarWarning', warningSchema),
    seen: connection.model<SeenTransfersDocument>('CalendarTransfersSeen', seenSchema),
  };
}
