import {
  ROSTER_EVENT_PAYLOADS,
  requiredPayload,
  rosterEventParts,
  rosterEventsAbout,
  type RosterEnvelope,
} from '../src';

// The event types consumers pick from, and the check for a handled type without its state.

const event: RosterEnvelope = {
  id: 'evt-1',
  type: 'edu.roster.class.opened',
  schoolId: 'school-1',
  aggregateId: 'class-1',
  aggregateVersion: 1,
};

describe('roster events: types and payload messages', () => {
  it('when a consumer picks entities, then it gets their types with payload messages, less the exceptions', () => {
    expect(rosterEventsAbout(['academic_year'], ['edu.roster.academic_year.rolled_over'])).toEqual({
      'edu.roster.academic_year.opened': 'edu.events.v1.AcademicYearOpened',
      'edu.roster.academic_year.calendar_changed': 'edu.events.v1.CalendarChanged',
      'edu.roster.academic_year.closed': 'edu.events.v1.AcademicYearClosed',
    });
    expect(Object.keys(rosterEventsAbout(['guardian', 'consent']))).toEqual([
      'edu.roster.guardian.linked',
      'edu.roster.guardian.unlinked',
      'edu.roster.consent.recorded',
      'edu.roster.consent.revoked',
    ]);
    expect(rosterEventsAbout([])).toEqual({});
  });

  it('when every type is read, then each is a roster type with a payload message of the events package', () => {
    for (const [type, message] of Object.entries(ROSTER_EVENT_PAYLOADS)) {
      expect(type).toMatch(/^edu\.roster\.[a-z_]+\.[a-z_]+$/);
      expect(message).toMatch(/^edu\.events\.v1\.[A-Z][A-Za-z]+$/);
    }
  });

  it('when a type is split, then entity and action come out; missing parts are empty', () => {
    expect(rosterEventParts('edu.roster.academic_year.calendar_changed')).toEqual({
      entity: 'academic_year',
      action: 'calendar_changed',
    });
    expect(rosterEventParts('edu.roster')).toEqual({ entity: '', action: '' });
  });
});

describe('roster events: a required payload', () => {
  it('when the state is there, then it is returned as it is', () => {
    const state = { class_id: 'class-1' };

    expect(requiredPayload(state, event, 'school_class')).toBe(state);
    expect(requiredPayload('2026-09-01', event, 'effective_on')).toBe('2026-09-01');
  });

  it('when the state is missing (or empty), then it throws naming the event and the field', () => {
    expect(() => requiredPayload(undefined, event, 'school_class')).toThrow(
      'edu.roster.class.opened evt-1 carries no school_class',
    );
    expect(() => requiredPayload(null, event, 'school_class')).toThrow(/carries no school_class/);
    expect(() => requiredPayload('', event, 'student_id')).toThrow(/carries no student_id/);
  });
});
