import type { SchoolCard } from '../../src/domain/school';

/** A complete card with real-looking, valid identifiers. */
export const validCard = (): SchoolCard => ({
  fullName: 'Муниципальное бюджетное общеобразовательное учреждение «Средняя школа № 1»',
  shortName: 'МБОУ СШ № 1',
  inn: '7707083893',
  ogrn: '1027700132195',
  address: '660001, г. Красноярск, ул. Школьная, д. 1',
  timeZone: 'Asia/Krasnoyarsk',
  licence: {
    number: 'Л035-01212-24/00001',
    issuedOn: '2016-03-01',
    issuedBy: 'Министерство образования Красноярского края',
  },
  accreditation: { number: 'А007-01212-24/00001', issuedOn: '2016-05-01', validUntil: '' },
  municipalityId: '',
});
