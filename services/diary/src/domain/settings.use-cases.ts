import { invalid, type FieldError } from '@edu/kit';
import { managesSettings } from './access';
import type { DiarySettings } from './model';
import type { Authorize, RequestContext, SettingsRepository } from './ports';

// A school's diary settings: whether guardians and students see why a mark was corrected. Read
// and changed by the school's director, deputies and school admins only.

export interface SettingsDeps {
  settings: SettingsRepository;
  authorize: Authorize;
  now: () => Date;
}

const MAX_ID_LENGTH = 200;

function schoolIdOf(schoolId: string, code: string): string {
  const id = schoolId.trim();
  const errors: FieldError[] = [];
  if (!id) errors.push({ field: 'school_id', message: 'укажите школу' });
  else if (id.length > MAX_ID_LENGTH)
    errors.push({ field: 'school_id', message: 'слишком длинный идентификатор школы' });
  if (errors.length > 0) throw invalid(code, 'Запрос заполнен с ошибками', errors);
  return id;
}

export async function getSettings(
  deps: Pick<SettingsDeps, 'settings' | 'authorize'>,
  ctx: RequestContext,
  query: { schoolId: string },
): Promise<DiarySettings> {
  const schoolId = schoolIdOf(query.schoolId, 'diary.query_invalid');
  deps.authorize(ctx.actor, managesSettings(ctx.actor, schoolId), {
    action: 'diary.settings.read',
    object: `school:${schoolId}`,
  });
  return deps.settings.get(schoolId);
}

export async function setSettings(
  deps: SettingsDeps,
  ctx: RequestContext,
  input: { schoolId: string; showCorrectionReasons: boolean },
): Promise<DiarySettings> {
  const schoolId = schoolIdOf(input.schoolId, 'diary.settings_invalid');
  deps.authorize(ctx.actor, managesSettings(ctx.actor, schoolId), {
    action: 'diary.settings.write',
    object: `school:${schoolId}`,
  });
  return deps.settings.put({
    schoolId,
    showCorrectionReasons: input.showCorrectionReasons === true,
    updatedBy: ctx.actor.accountId,
    updatedAt: deps.now().toISOString(),
  });
}
