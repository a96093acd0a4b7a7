import { invalid, notFound } from '@edu/kit';
import type { Authorize, RequestContext, SchoolCursor, SchoolRepository } from './ports';
import { validateSchoolCard, type School, type SchoolCard } from './school';
import { canCreateSchool, canReadSchool, canSeeAllSchools, schoolsOf } from './school-policy';

export const SCHOOL_CREATED = 'edu.roster.school.created' as const;

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
