import { conflict, invalid, notFound, precondition } from '@edu/kit';
import type { Authorize, RequestContext, SchoolCursor, SchoolRepository } from './ports';
import { validateSchoolCard, type School, type SchoolCard } from './school';
import {
  authorizeOrHide,
  canCreateSchool,
  canManageSchool,
  canReadSchool,
  canSeeAllSchools,
  schoolsOf,
} from './school-policy';

export const SCHOOL_CREATED = 'edu.roster.school.created' as const;
export const SCHOOL_UPDATED = 'edu.roster.school.updated' as const;

export interface SchoolDeps {
  schools: SchoolRepository;
  authorize: Authorize;
  newId: () => string;
  now: () => Date;
}

/** Creates a school card and publishes edu.roster.school.created with it. */
export async function createSchool(deps: SchoolDeps, ctx: RequestContext, card: SchoolCard): Promise<School> {
  deps.authorize(ctx.actor, canCreateSchool(ctx.actor), { action: 'school.create', object: 'school' });
  const errors = validateSchoolCard(card);
  if (errors.length > 0) {
    throw invalid('school.invalid', 'Карточка школы заполнена с ошибками', errors);
  }
  const school: School = { ...card, id: deps.newId(), version: 1, createdAt: deps.now().toISOString() };
  await deps.schools.create(school, [{ type: SCHOOL_CREATED, school }], ctx);
  return school;
}

export function schoolVersionConflict() {
  return conflict('school.version_conflict', 'Карточку школы уже изменили: откройте её заново и повторите');
}

/**
 * Changes a school card (R2.1): its managers, or those above schools. The whole card is checked
 * like a new one; publishes edu.roster.school.updated with it. Someone without a role in the
 * school is told it does not exist.
 */
export async function changeSchool(
  deps: SchoolDeps,
  ctx: RequestContext,
  change: { id: string; expectedVersion: number; card: SchoolCard },
): Promise<School> {
  const schoolNotFound = () => notFound('school.not_found', 'Школа не найдена');
  const current = await deps.schools.get(change.id);
  if (!current) throw schoolNotFound();
  const allowed = canManageSchool(ctx.actor, current.id) || canCreateSchool(ctx.actor);
  const what = { action: 'school.change', object: `school:${current.id}` };
  if (canReadSchool(ctx.actor, current.id)) deps.authorize(ctx.actor, allowed, what);
  else authorizeOrHide(deps, ctx, allowed, what, schoolNotFound);
  const errors = validateSchoolCard(change.card);
  if (!Number.isInteger(change.expectedVersion) || change.expectedVersion < 1) {
    errors.push({ field: 'expectedVersion', message: 'Укажите версию карточки, которую вы изменяете' });
  }
  if (errors.length > 0) throw invalid('school.invalid', 'Карточка школы заполнена с ошибками', errors);
  if (current.version !== change.expectedVersion) throw schoolVersionConflict();
  const next: School = { ...current, ...change.card, version: current.version + 1 };
  if (JSON.stringify(next) === JSON.stringify({ ...current, version: next.version })) {
    throw precondition('school.no_change', 'Карточка школы не изменилась: нечего записывать');
  }
  await deps.schools.update(next, change.expectedVersion, [{ type: SCHOOL_UPDATED, school: next }], ctx);
  return next;
}

/** Reads one card; a school the actor may not see is reported as missing, not forbidden. */
export async function getSchool(deps: SchoolDeps, ctx: RequestContext, id: string): Promise<School> {
  const school = canReadSchool(ctx.actor, id) ? await deps.schools.get(id) : null;
  if (!school) throw notFound('school.not_found', 'Школа не найдена');
  return school;
}

const PAGE_DEFAULT = 50;
const PAGE_MAX = 200;

/** Lists the cards the actor may see, a page at a time; the token is an opaque cursor. */
export async function listSchools(
  deps: SchoolDeps,
  ctx: RequestContext,
  page: { size: number; token: string },
): Promise<{ schools: School[]; nextToken: string }> {
  if (page.size < 0 || page.size > PAGE_MAX) {
    throw invalid('page.size_invalid', `Размер страницы — от 1 до ${PAGE_MAX}`, [
      { field: 'pageSize', message: `Размер страницы — от 1 до ${PAGE_MAX}` },
    ]);
  }
  const limit = page.size || PAGE_DEFAULT;
  const after = page.token ? decodeCursor(page.token) : undefined;
  const ids = canSeeAllSchools(ctx.actor) ? undefined : schoolsOf(ctx.actor);
  if (ids && ids.length === 0) return { schools: [], nextToken: '' };
  const schools = await deps.schools.list({ limit: limit + 1, after, ids });
  const hasMore = schools.length > limit;
  const pageItems = schools.slice(0, limit);
  const last = pageItems.at(-1);
  return {
    schools: pageItems,
    nextToken: hasMore && last ? encodeCursor({ shortName: last.shortName, id: last.id }) : '',
  };
}

function encodeCursor(cursor: SchoolCursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

function decodeCursor(token: string): SchoolCursor {
  try {
    const cursor = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as SchoolCursor;
    if (typeof cursor.shortName === 'string' && typeof cursor.id === 'string') return cursor;
  } catch {
    // fall through to the error below
  }
  throw invalid('page.token_invalid', 'Неверный маркер страницы', [
    { field: 'pageToken', message: 'Неверный маркер страницы' },
  ]);
}
