// Original file: edu/roster/v1/roster.proto

import type { SchoolLicence as _edu_roster_v1_SchoolLicence, SchoolLicence__Output as _edu_roster_v1_SchoolLicence__Output } from '../../../edu/roster/v1/SchoolLicence';
import type { SchoolAccreditation as _edu_roster_v1_SchoolAccreditation, SchoolAccreditation__Output as _edu_roster_v1_SchoolAccreditation__Output } from '../../../edu/roster/v1/SchoolAccreditation';
import type { Long } from '@grpc/proto-loader';

export interface School {
  'id'?: (string);
  'full_name'?: (string);
  'short_name'?: (string);
  'inn'?: (string);
  'ogrn'?: (string);
  'address'?: (string);
  'time_zone'?: (string);
  'licence'?: (_edu_roster_v1_SchoolLicence | null);
  'accreditation'?: (_edu_roster_v1_SchoolAccreditation | null);
  'municipality_id'?: (string);
  'version'?: (number | string | Long);
  'created_at'?: (string);
}

export interface School__Output {
  'id': (string);
  'full_name': (string);
  'short_name': (string);
  'inn': (string);
  'ogrn': (string);
  'address': (string);
  'time_zone': (string);
  'licence': (_edu_roster_v1_SchoolLicence__Output | null);
  'accreditation': (_edu_roster_v1_SchoolAccreditation__Output | null);
  'municipality_id': (string);
  'version': (string);
  'created_at': (string);
}
