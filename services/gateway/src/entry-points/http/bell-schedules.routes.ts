import { Router } from 'express';
import type { ActorSignerPort, SchedulePort } from '../../domain/ports';
import { restShape } from '../../wire-case';
import { validateRequest } from './request.middleware';
import { commandOptions, upstreamOptions } from './upstream';

export interface BellSchedulesRoutesDeps {
  schedule: SchedulePort;
  signer: ActorSignerPort;
}

interface BellScheduleBody {
  expectedVersion: number;
  name?: string;
  lessons: { number: number; startsAt: string; endsAt: string }[];
}

/**
 * Bell schedules (звонки, R4.1): REST in front of schedule. One per school and shift, set as a
 * whole with its version (0 for a shift that has none yet), read by shift or all of the school.
 */
export function bellSchedulesRouter({ schedule, signer }: BellSchedulesRoutesDeps): Router {
  const router = Router({ caseSensitive: true });

  router.put(
    '/api/v1/schools/:schoolId/bell-schedules/:shift',
    validateRequest('setBellSchedule'),
    async (req, res) => {
      const body = req.body as BellScheduleBody;
      const { bell_schedule } = await schedule.SetBellSchedule(
        {
          school_id: String(req.params.schoolId),
          shift: Number(req.params.shift),
          name: body.name ?? '',
          expected_version: String(body.expectedVersion),
          lessons: body.lessons.map((l) => ({ number: l.number, starts_at: l.startsAt, ends_at: l.endsAt })),
        },
        await commandOptions(req, res, signer),
      );
      res.json(restShape(bell_schedule));
    },
  );

  router.get(
    '/api/v1/schools/:schoolId/bell-schedules/:shift',
    validateRequest('getBellSchedule'),
    async (req, res) => {
      const { bell_schedule } = await schedule.GetBellSchedule(
        { school_id: String(req.params.schoolId), shift: Number(req.params.shift) },
        await upstreamOptions(res, signer),
      );
      res.json(restShape(bell_schedule));
    },
  );

  router.get(
    '/api/v1/schools/:schoolId/bell-schedules',
    validateRequest('listBellSchedules'),
    async (req, res) => {
      const { bell_schedules } = await schedule.ListBellSchedules(
        { school_id: String(req.params.schoolId) },
        await upstreamOptions(res, signer),
      );
      res.json({ items: restShape(bell_schedules) });
    },
  );

  return router;
}
