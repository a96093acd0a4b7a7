// Original file: edu/events/v1/roster.proto


export interface SchoolAccreditation {
  'number'?: (string);
  'issued_on'?: (string);
  'valid_until'?: (string);
}

export interface SchoolAccreditation__Output {
  'number': (string);
  'issued_on': (string);
  'valid_until': (string);
}
