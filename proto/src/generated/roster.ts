import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { SchoolAccreditation as _edu_events_v1_SchoolAccreditation, SchoolAccreditation__Output as _edu_events_v1_SchoolAccreditation__Output } from './edu/events/v1/SchoolAccreditation';
import type { SchoolCard as _edu_events_v1_SchoolCard, SchoolCard__Output as _edu_events_v1_SchoolCard__Output } from './edu/events/v1/SchoolCard';
import type { SchoolCreated as _edu_events_v1_SchoolCreated, SchoolCreated__Output as _edu_events_v1_SchoolCreated__Output } from './edu/events/v1/SchoolCreated';
import type { SchoolLicence as _edu_events_v1_SchoolLicence, SchoolLicence__Output as _edu_events_v1_SchoolLicence__Output } from './edu/events/v1/SchoolLicence';
import type { SchoolUpdated as _edu_events_v1_SchoolUpdated, SchoolUpdated__Output as _edu_events_v1_SchoolUpdated__Output } from './edu/events/v1/SchoolUpdated';
import type { CreateSchoolRequest as _edu_roster_v1_CreateSchoolRequest, CreateSchoolRequest__Output as _edu_roster_v1_CreateSchoolRequest__Output } from './edu/roster/v1/CreateSchoolRequest';
import type { CreateSchoolResponse as _edu_roster_v1_CreateSchoolResponse, CreateSchoolResponse__Output as _edu_roster_v1_CreateSchoolResponse__Output } from './edu/roster/v1/CreateSchoolResponse';
import type { GetSchoolRequest as _edu_roster_v1_GetSchoolRequest, GetSchoolRequest__Output as _edu_roster_v1_GetSchoolRequest__Output } from './edu/roster/v1/GetSchoolRequest';
import type { GetSchoolResponse as _edu_roster_v1_GetSchoolResponse, GetSchoolResponse__Output as _edu_roster_v1_GetSchoolResponse__Output } from './edu/roster/v1/GetSchoolResponse';
import type { ListSchoolsRequest as _edu_roster_v1_ListSchoolsRequest, ListSchoolsRequest__Output as _edu_roster_v1_ListSchoolsRequest__Output } from './edu/roster/v1/ListSchoolsRequest';
import type { ListSchoolsResponse as _edu_roster_v1_ListSchoolsResponse, ListSchoolsResponse__Output as _edu_roster_v1_ListSchoolsResponse__Output } from './edu/roster/v1/ListSchoolsResponse';
import type { RosterServiceClient as _edu_roster_v1_RosterServiceClient, RosterServiceDefinition as _edu_roster_v1_RosterServiceDefinition } from './edu/roster/v1/RosterService';
import type { School as _edu_roster_v1_School, School__Output as _edu_roster_v1_School__Output } from './edu/roster/v1/School';
import type { SchoolAccreditation as _edu_roster_v1_SchoolAccreditation, SchoolAccreditation__Output as _edu_roster_v1_SchoolAccreditation__Output } from './edu/roster/v1/SchoolAccreditation';
import type { SchoolLicence as _edu_roster_v1_SchoolLicence, SchoolLicence__Output as _edu_roster_v1_SchoolLicence__Output } from './edu/roster/v1/SchoolLicence';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  edu: {
    events: {
      v1: {
        SchoolAccreditation: MessageTypeDefinition<_edu_events_v1_SchoolAccreditation, _edu_events_v1_SchoolAccreditation__Output>
        SchoolCard: MessageTypeDefinition<_edu_events_v1_SchoolCard, _edu_events_v1_SchoolCard__Output>
        SchoolCreated: MessageTypeDefinition<_edu_events_v1_SchoolCreated, _edu_events_v1_SchoolCreated__Output>
        SchoolLicence: MessageTypeDefinition<_edu_events_v1_SchoolLicence, _edu_events_v1_SchoolLicence__Output>
        SchoolUpdated: MessageTypeDefinition<_edu_events_v1_SchoolUpdated, _edu_events_v1_SchoolUpdated__Output>
      }
    }
    roster: {
      v1: {
        CreateSchoolRequest: MessageTypeDefinition<_edu_roster_v1_CreateSchoolRequest, _edu_roster_v1_CreateSchoolRequest__Output>
        CreateSchoolResponse: MessageTypeDefinition<_edu_roster_v1_CreateSchoolResponse, _edu_roster_v1_CreateSchoolResponse__Output>
        GetSchoolRequest: MessageTypeDefinition<_edu_roster_v1_GetSchoolRequest, _edu_roster_v1_GetSchoolRequest__Output>
        GetSchoolResponse: MessageTypeDefinition<_edu_roster_v1_GetSchoolResponse, _edu_roster_v1_GetSchoolResponse__Output>
        ListSchoolsRequest: MessageTypeDefinition<_edu_roster_v1_ListSchoolsRequest, _edu_roster_v1_ListSchoolsRequest__Output>
        ListSchoolsResponse: MessageTypeDefinition<_edu_roster_v1_ListSchoolsResponse, _edu_roster_v1_ListSchoolsResponse__Output>
        RosterService: SubtypeConstructor<typeof grpc.Client, _edu_roster_v1_RosterServiceClient> & { service: _edu_roster_v1_RosterServiceDefinition }
        School: MessageTypeDefinition<_edu_roster_v1_School, _edu_roster_v1_School__Output>
        SchoolAccreditation: MessageTypeDefinition<_edu_roster_v1_SchoolAccreditation, _edu_roster_v1_SchoolAccreditation__Output>
        SchoolLicence: MessageTypeDefinition<_edu_roster_v1_SchoolLicence, _edu_roster_v1_SchoolLicence__Output>
      }
    }
  }
}

