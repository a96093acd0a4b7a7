import type { School__Output } from '@edu/proto/dist/generated/edu/roster/v1/School';
import { schoolDtoFromMessage, schoolMessageFromCard } from '../../src/school.mapper';
import { schemaValidator } from '../../src/entry-points/http/validation';
import { schoolMessage, validCard } from '../helpers';

describe('school card mapping', () => {
  it('when a full card goes to roster and comes back, then it is the same card', () => {
    const card = {
      ...validCard,
      accreditation: { number: 'А-1', issuedOn: '2021-05-20', validUntil: '2033-05-20' },
      municipalityId: 'm-7',
    };

    const message = schoolMessageFromCard(card);
    // Roster echoes the card and adds what it assigns (id, version, created_at).
    const back = schoolDtoFromMessage({ ...schoolMessage(), ...message } as School__Output);

    expect(message).toMatchObject({ time_zone: card.timeZone, municipality_id: 'm-7' });
    expect(back).toEqual({ ...card, id: 'school-1', version: 1, createdAt: '2025-01-15T08:30:00.000Z' });
  });

  it('when roster sends no accreditation and no municipality, then accreditation is left out, the municipality is "", and the result matches the School schema', () => {
    const dto = schoolDtoFromMessage(
      schoolMessage({ accreditation: { number: '', issued_on: '', valid_until: '' }, municipality_id: '' }),
    );

    expect(dto).not.toHaveProperty('accreditation');
    expect(dto.municipalityId).toBe('');
    expect(schemaValidator('School')(dto)).toBe(true);
  });

  it('when an accreditation without limit is sent, then validUntil "" passes the schema and comes back as ""', () => {
    const card = { ...validCard, accreditation: { number: 'А-1', issuedOn: '2021-05-20', validUntil: '' } };

    const back = schoolDtoFromMessage({
      ...schoolMessage(),
      ...schoolMessageFromCard(card),
    } as School__Output);

    expect(schemaValidator('SchoolCard')(card)).toBe(true);
    expect(back.accreditation).toEqual({ number: 'А-1', issuedOn: '2021-05-20', validUntil: '' });
  });

  it('when roster answers without a school, then mapping fails rather than inventing one', () => {
    expect(() => schoolDtoFromMessage(null)).toThrow('roster answered without a school');
  });
});
