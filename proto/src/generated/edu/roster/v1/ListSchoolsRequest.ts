// Original file: edu/roster/v1/roster.proto


export interface ListSchoolsRequest {
  'page_size'?: (number);
  'page_token'?: (string);
}

export interface ListSchoolsRequest__Output {
  'page_size': (number);
  'page_token': (string);
}
