// @edu/roster-events: roster's event contract as its consumers read it — the event types with
// their payload messages, and roster's states as plain camelCase records. Each consumer keeps its
// own choice of records and fields; how a proto field is read lives here once.
export {
  ROSTER_EVENT_PAYLOADS,
  ROSTER_TOPIC,
  requiredPayload,
  rosterEventParts,
  rosterEventsAbout,
} from './events';
export type { RosterEntity, RosterEnvelope, RosterEventType, RosterPayload } from './events';
export {
  MOVEMENT_KINDS,
  academicYearFrom,
  classFrom,
  enrolmentFrom,
  guardianshipFrom,
  movementFrom,
  personFrom,
  schoolFrom,
  staffPositionFrom,
  subgroupFrom,
} from './records';
export type {
  RosterAcademicYear,
  RosterClass,
  RosterClosure,
  RosterDays,
  RosterEnrolment,
  RosterGuardianship,
  RosterHoliday,
  RosterMovement,
  RosterMovementKind,
  RosterPerson,
  RosterPeriodScheme,
  RosterSchool,
  RosterStaffPosition,
  RosterSubgroup,
  RosterTransfer,
} from './records';
