// Original file: edu/roster/v1/roster.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { CreateSchoolRequest as _edu_roster_v1_CreateSchoolRequest, CreateSchoolRequest__Output as _edu_roster_v1_CreateSchoolRequest__Output } from '../../../edu/roster/v1/CreateSchoolRequest';
import type { CreateSchoolResponse as _edu_roster_v1_CreateSchoolResponse, CreateSchoolResponse__Output as _edu_roster_v1_CreateSchoolResponse__Output } from '../../../edu/roster/v1/CreateSchoolResponse';
import type { GetSchoolRequest as _edu_roster_v1_GetSchoolRequest, GetSchoolRequest__Output as _edu_roster_v1_GetSchoolRequest__Output } from '../../../edu/roster/v1/GetSchoolRequest';
import type { GetSchoolResponse as _edu_roster_v1_GetSchoolResponse, GetSchoolResponse__Output as _edu_roster_v1_GetSchoolResponse__Output } from '../../../edu/roster/v1/GetSchoolResponse';
import type { ListSchoolsRequest as _edu_roster_v1_ListSchoolsRequest, ListSchoolsRequest__Output as _edu_roster_v1_ListSchoolsRequest__Output } from '../../../edu/roster/v1/ListSchoolsRequest';
import type { ListSchoolsResponse as _edu_roster_v1_ListSchoolsResponse, ListSchoolsResponse__Output as _edu_roster_v1_ListSchoolsResponse__Output } from '../../../edu/roster/v1/ListSchoolsResponse';

export interface RosterServiceClient extends grpc.Client {
  CreateSchool(argument: _edu_roster_v1_CreateSchoolRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_edu_roster_v1_CreateSchoolResponse__Output>): grpc.ClientUnaryCall;
  CreateSchool(argument: _edu_roster_v1_CreateSchoolRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_edu_roster_v1_CreateSchoolResponse__Output>): grpc.ClientUnaryCall;
  CreateSchool(argument: _edu_roster_v1_CreateSchoolRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_edu_roster_v1_CreateSchoolResponse__Output>): grpc.ClientUnaryCall;
  CreateSchool(argument: _edu_roster_v1_CreateSchoolRequest, callback: grpc.requestCallback<_edu_roster_v1_CreateSchoolResponse__Output>): grpc.ClientUnaryCall;
  createSchool(argument: _edu_roster_v1_CreateSchoolRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_edu_roster_v1_CreateSchoolResponse__Output>): grpc.ClientUnaryCall;
  createSchool(argument: _edu_roster_v1_CreateSchoolRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_edu_roster_v1_CreateSchoolResponse__Output>): grpc.ClientUnaryCall;
  createSchool(argument: _edu_roster_v1_CreateSchoolRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_edu_roster_v1_CreateSchoolResponse__Output>): grpc.ClientUnaryCall;
  createSchool(argument: _edu_roster_v1_CreateSchoolRequest, callback: grpc.requestCallback<_edu_roster_v1_CreateSchoolResponse__Output>): grpc.ClientUnaryCall;
  
  GetSchool(argument: _edu_roster_v1_GetSchoolRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_edu_roster_v1_GetSchoolResponse__Output>): grpc.ClientUnaryCall;
  GetSchool(argument: _edu_roster_v1_GetSchoolRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_edu_roster_v1_GetSchoolResponse__Output>): grpc.ClientUnaryCall;
  GetSchool(argument: _edu_roster_v1_GetSchoolRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_edu_roster_v1_GetSchoolResponse__Output>): grpc.ClientUnaryCall;
  GetSchool(argument: _edu_roster_v1_GetSchoolRequest, callback: grpc.requestCallback<_edu_roster_v1_GetSchoolResponse__Output>): grpc.ClientUnaryCall;
  getSchool(argument: _edu_roster_v1_GetSchoolRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_edu_roster_v1_GetSchoolResponse__Output>): grpc.ClientUnaryCall;
  getSchool(argument: _edu_roster_v1_GetSchoolRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_edu_roster_v1_GetSchoolResponse__Output>): grpc.ClientUnaryCall;
  getSchool(argument: _edu_roster_v1_GetSchoolRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_edu_roster_v1_GetSchoolResponse__Output>): grpc.ClientUnaryCall;
  getSchool(argument: _edu_roster_v1_GetSchoolRequest, callback: grpc.requestCallback<_edu_roster_v1_GetSchoolResponse__Output>): grpc.ClientUnaryCall;
  
  ListSchools(argument: _edu_roster_v1_ListSchoolsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_edu_roster_v1_ListSchoolsResponse__Output>): grpc.ClientUnaryCall;
  ListSchools(argument: _edu_roster_v1_ListSchoolsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_edu_roster_v1_ListSchoolsResponse__Output>): grpc.ClientUnaryCall;
  ListSchools(argument: _edu_roster_v1_ListSchoolsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_edu_roster_v1_ListSchoolsResponse__Output>): grpc.ClientUnaryCall;
  ListSchools(argument: _edu_roster_v1_ListSchoolsRequest, callback: grpc.requestCallback<_edu_roster_v1_ListSchoolsResponse__Output>): grpc.ClientUnaryCall;
  listSchools(argument: _edu_roster_v1_ListSchoolsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_edu_roster_v1_ListSchoolsResponse__Output>): grpc.ClientUnaryCall;
  listSchools(argument: _edu_roster_v1_ListSchoolsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_edu_roster_v1_ListSchoolsResponse__Output>): grpc.ClientUnaryCall;
  listSchools(argument: _edu_roster_v1_ListSchoolsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_edu_roster_v1_ListSchoolsResponse__Output>): grpc.ClientUnaryCall;
  listSchools(argument: _edu_roster_v1_ListSchoolsRequest, callback: grpc.requestCallback<_edu_roster_v1_ListSchoolsResponse__Output>): grpc.ClientUnaryCall;
  
}

export interface RosterServiceHandlers extends grpc.UntypedServiceImplementation {
  CreateSchool: grpc.handleUnaryCall<_edu_roster_v1_CreateSchoolRequest__Output, _edu_roster_v1_CreateSchoolResponse>;
  
  GetSchool: grpc.handleUnaryCall<_edu_roster_v1_GetSchoolRequest__Output, _edu_roster_v1_GetSchoolResponse>;
  
  ListSchools: grpc.handleUnaryCall<_edu_roster_v1_ListSchoolsRequest__Output, _edu_roster_v1_ListSchoolsResponse>;
  
}

export interface RosterServiceDefinition extends grpc.ServiceDefinition {
  CreateSchool: MethodDefinition<_edu_roster_v1_CreateSchoolRequest, _edu_roster_v1_CreateSchoolResponse, _edu_roster_v1_CreateSchoolRequest__Output, _edu_roster_v1_CreateSchoolResponse__Output>
  GetSchool: MethodDefinition<_edu_roster_v1_GetSchoolRequest, _edu_roster_v1_GetSchoolResponse, _edu_roster_v1_GetSchoolRequest__Output, _edu_roster_v1_GetSchoolResponse__Output>
  ListSchools: MethodDefinition<_edu_roster_v1_ListSchoolsRequest, _edu_roster_v1_ListSchoolsResponse, _edu_roster_v1_ListSchoolsRequest__Output, _edu_roster_v1_ListSchoolsResponse__Output>
}
