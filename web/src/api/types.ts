// Named types for the API's JSON, re-exported from schema.gen.ts, which `npm run gen:api`
// generates from the server's OpenAPI document: a change of the API that breaks the app breaks
// its build.
import type { components } from './schema.gen';

type Schemas = components['schemas'];

export type Resume = Schemas['Resume'];
export type ResumeRequest = Schemas['ResumeRequest'];
export type ResumePatchRequest = Schemas['ResumePatchRequest'];
export type JobApplication = Schemas['JobApplication'];
export type JobApplicationRequest = Schemas['JobApplicationRequest'];
export type JobStatus = Schemas['JobStatus'];
export type ExampleJobApplicationList = Schemas['ExampleJobApplicationList'];
export type AIModelList = Schemas['AIModelList'];
export type AIModelSummary = Schemas['AIModelSummary'];
export type AdminAIModel = Schemas['AdminAIModel'];
export type AdminAIModelRequest = Schemas['AdminAIModelRequest'];
export type AdminAIModelFields = Schemas['AdminAIModelFields'];
export type AIProvider = Schemas['AIProvider'];
export type RegisterRequest = Schemas['RegisterRequest'];
export type RegisterResponse = Schemas['RegisterResponse'];
export type TokenObtainRequest = Schemas['TokenObtainRequest'];
export type TokenPair = Schemas['TokenPair'];
export type TokenRefreshRequest = Schemas['TokenRefreshRequest'];
export type TokenRefreshResponse = Schemas['TokenRefreshResponse'];
export type TokenBlacklistRequest = Schemas['TokenBlacklistRequest'];
export type ApiKey = Schemas['ApiKey'];
export type ApiKeyRequest = Schemas['ApiKeyRequest'];
export type NewApiKey = Schemas['NewApiKey'];
export type PasswordChangeRequest = Schemas['PasswordChangeRequest'];
export type AccountDeleteRequest = Schemas['AccountDeleteRequest'];
export type AccountDeleted = Schemas['AccountDeleted'];
export type Detail = Schemas['Detail'];
export type GenerateRequest = Schemas['GenerateRequest'];
export type GenerateResponse = Schemas['GenerateResponse'];
export type ErrorDetail = Schemas['ErrorDetail'];
export type ValidationErrors = Schemas['ValidationErrors'];
export type ServiceError = Schemas['ServiceError'];

/** The tracker's columns, in board order. */
export const JOB_STATUSES = ['Applied', 'Interviewing', 'Offer', 'Rejected'] as const satisfies readonly JobStatus[];

// Fails to compile when the API's status enum gains or loses a value that the board does not know.
type Exhaustive<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
export const statusesMatchApi: Exhaustive<(typeof JOB_STATUSES)[number], JobStatus> = true;
