// Original file: edu/roster/v1/roster.proto


export interface GetSchoolRequest {
  'id'?: (string);
}

export interface GetSchoolRequest__Output {
  'id': (string);
}
