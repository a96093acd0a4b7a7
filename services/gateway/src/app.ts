import express, { type Express } from 'express';
import type { Logger, Metrics } from '@edu/kit';
import type {
  ActorSignerPort,
  DiaryPort,
  GradebookPort,
  IdentityPort,
  NotificationsPort,
  RosterPort,
  SchedulePort,
} from './domain/ports';
import {
  identifyCaller,
  rateLimit,
  requireActor,
  type VerifyToken,
} from './entry-points/http/auth.middleware';
import { cors, observeRequests, requestContext, securityHeaders } from './entry-points/http/middleware';
import { openApiDocument } from './entry-points/http/openapi';
import { RateLimiter } from './entry-points/http/rate-limit';
import { errorHandler, jsonBody, notFound } from './entry-points/http/request.middleware';
import { schoolsRouter } from './entry-points/http/schools.routes';
import { academicYearsRouter } from './entry-points/http/academic-years.routes';
import { classesRouter } from './entry-points/http/classes.routes';
import { peopleRouter } from './entry-points/http/people.routes';
import { guardianshipsRouter } from './entry-points/http/guardianships.routes';
import { staffRouter } from './entry-points/http/staff.routes';
import { subgroupsRouter } from './entry-points/http/subgroups.routes';
import { bellSchedulesRouter } from './entry-points/http/bell-schedules.routes';
import { curriculaRouter } from './entry-points/http/curricula.routes';
import { timetableRouter } from './entry-points/http/timetable.routes';
import { lessonsRouter } from './entry-points/http/lessons.routes';
import { schoolEventsRouter } from './entry-points/http/school-events.routes';
import { studentTimetableRouter } from './entry-points/http/student-timetable.routes';
import { subjectsRouter } from './entry-points/http/subjects.routes';
import { teachingAssignmentsRouter } from './entry-points/http/teaching-assignments.routes';
import { gradingPolicyRouter } from './entry-points/http/grading-policy.routes';
import { lessonRecordsRouter } from './entry-points/http/lesson-records.routes';
import { periodMarksRouter } from './entry-points/http/period-marks.routes';
import { thematicPlansRouter } from './entry-points/http/thematic-plans.routes';
import { journalRouter } from './entry-points/http/journal.routes';
import { diaryRouter } from './entry-points/http/diary.routes';
import { notificationsRouter } from './entry-points/http/notifications.routes';
import { identityRouter } from './entry-points/http/identity.routes';
import type { ResolveActor } from './domain/actor-cache';

/** What the app needs from the outside; every part can be faked in a unit test. */
export interface AppDeps {
  verifyToken: VerifyToken;
  /** The caller's actor from identity, cached (createActorCache). */
  resolveActor: ResolveActor;
  identity: IdentityPort;
  roster: RosterPort;
  schedule: SchedulePort;
  gradebook: GradebookPort;
  diary: DiaryPort;
  notifications: NotificationsPort;
  signer: ActorSignerPort;
  logger: Logger;
  metrics: Metrics;
  options: AppOptions;
}

export interface AppOptions {
  /** Browser origins allowed by CORS; empty: none. */
  corsOrigins: readonly string[];
  rateLimitPerMinute: number;
  rateLimitBurst: number;
  /** Largest JSON body, e.g. `100kb`. */
  bodyLimit: string;
  /** Largest body of a roster import (default 10mb). */
  importBodyLimit?: string;
  /** How many reverse proxies' X-Forwarded-For to trust for the caller's address. */
  trustedProxyHops: number;
  /** The rate limiter's clock (tests). */
  now?: () => number;
}

/**
 * The gateway's express app. The order of the chain is the design: context first (so that even a
 * refused request is logged with its trace id and counted), cheap refusals before expensive work
 * (no body is read for an unauthenticated or rate-limited caller), and problem+json at the end.
 */
export function createApp({
  verifyToken,
  resolveActor,
  identity,
  roster,
  schedule,
  gradebook,
  diary,
  notifications,
  signer,
  logger,
  metrics,
  options,
}: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  // ETags are pointless on answers that are never cached (Cache-Control: no-store).
  app.disable('etag');
  app.set('trust proxy', options.trustedProxyHops);
  // The OpenAPI paths are case-sensitive; so are the routes.
  app.set('case sensitive routing', true);

  app.use(requestContext());
  app.use(observeRequests(metrics, logger));
  app.use(securityHeaders());
  app.use(cors(options.corsOrigins));

  const documentJson = JSON.stringify(openApiDocument);
  app.get('/api/openapi.json', (_req, res) => {
    res.type('application/json').send(documentJson);
  });

  app.use(identifyCaller(verifyToken, resolveActor));
  app.use(
    rateLimit(new RateLimiter(options.rateLimitPerMinute, options.rateLimitBurst, options.now), logger),
  );
  app.use(requireActor(logger));
  // A roster import carries a whole school's CSV; every other body keeps the small limit.
  app.use(/^\/api\/v1\/academic-years\/[^/]+\/imports$/, jsonBody(options.importBodyLimit ?? '10mb'));
  app.use(jsonBody(options.bodyLimit));
  // Validation is the first handler of each route (validateRequest), so that no handler can
  // run on a request its operation has not checked.
  app.use(schoolsRouter({ roster, signer }));
  app.use(academicYearsRouter({ roster, signer }));
  app.use(classesRouter({ roster, signer }));
  app.use(peopleRouter({ roster, signer }));
  app.use(guardianshipsRouter({ roster, signer }));
  app.use(staffRouter({ roster, signer }));
  app.use(subgroupsRouter({ roster, signer }));
  app.use(subjectsRouter({ schedule, signer }));
  app.use(teachingAssignmentsRouter({ schedule, signer }));
  app.use(bellSchedulesRouter({ schedule, signer }));
  app.use(curriculaRouter({ schedule, signer }));
  app.use(timetableRouter({ schedule, signer }));
  app.use(lessonsRouter({ schedule, signer }));
  app.use(schoolEventsRouter({ schedule, signer }));
  app.use(studentTimetableRouter({ schedule, signer }));
  app.use(gradingPolicyRouter({ gradebook, signer }));
  app.use(lessonRecordsRouter({ gradebook, signer }));
  app.use(periodMarksRouter({ gradebook, signer }));
  app.use(thematicPlansRouter({ gradebook, signer }));
  app.use(journalRouter({ gradebook, signer }));
  app.use(diaryRouter({ diary, signer }));
  app.use(identityRouter({ identity, signer }));
  app.use(notificationsRouter({ notifications, signer }));

  app.use(notFound());
  app.use(errorHandler(logger));
  return app;
}
