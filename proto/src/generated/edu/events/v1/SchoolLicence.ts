// Original file: edu/events/v1/roster.proto


export interface SchoolLicence {
  'number'?: (string);
  'issued_on'?: (string);
  'issued_by'?: (string);
}

export interface SchoolLicence__Output {
  'number': (string);
  'issued_on': (string);
  'issued_by': (string);
}
