import { readFileSync } from 'node:fs';
import path from 'node:path';
import PDFDocument from 'pdfkit';
import type { DiaryDay__Output } from '@edu/proto/dist/generated/edu/diary/v1/DiaryDay';
import type { DiaryEvent__Output } from '@edu/proto/dist/generated/edu/diary/v1/DiaryEvent';
import type { DiaryHomework__Output } from '@edu/proto/dist/generated/edu/diary/v1/DiaryHomework';
import type { DiaryLesson__Output } from '@edu/proto/dist/generated/edu/diary/v1/DiaryLesson';
import type { DiaryMark__Output } from '@edu/proto/dist/generated/edu/diary/v1/DiaryMark';
import type { Week__Output } from '@edu/proto/dist/generated/edu/diary/v1/Week';

// The weekly paper extract (R6.5): for guardians without electronic access, the week of the diary
// on A4 (landscape, so that the lesson table has room), one table per school day, printed in
// DejaVu Sans, which covers Cyrillic. The same week gives the same bytes: nothing here reads the
// clock, and the document's dates come from the week (or from `generatedOn`).

/** Options of the extract. */
export interface WeekPdfOptions {
  /**
   * The day the extract is made, YYYY-MM-DD (the school's local date): printed in the footer and
   * used as the document's creation date. Default: the week's last day.
   */
  generatedOn?: string;
}

/** A block of text as it was laid out: what the tests check the geometry of. */
export interface DrawnText {
  /** 0-based page index. */
  page: number;
  /** What the block is: `title`, `day`, `header`, `cell:<column>`, `event`, `footer`… */
  role: string;
  text: string;
  x: number;
  y: number;
  width: number;
  height: number;
  /** Whether the text was cut to fit (a cell taller than a page). */
  clipped: boolean;
}

/** The extract and how it was laid out. */
export interface WeekExtract {
  pdf: Buffer;
  pages: number;
  /** The page's printable area: every block lies inside it. */
  area: { left: number; top: number; right: number; bottom: number };
  texts: DrawnText[];
}

// --- Fonts ------------------------------------------------------------------------------------

const FONT = 'DejaVuSans';
const FONT_BOLD = 'DejaVuSans-Bold';

let fonts: { regular: Buffer; bold: Buffer } | undefined;

/** DejaVu Sans regular and bold from the `dejavu-fonts-ttf` package, read once. */
function dejaVu(): { regular: Buffer; bold: Buffer } {
  if (!fonts) {
    const dir = path.join(path.dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');
    fonts = {
      regular: readFileSync(path.join(dir, 'DejaVuSans.ttf')),
      bold: readFileSync(path.join(dir, 'DejaVuSans-Bold.ttf')),
    };
  }
  return fonts;
}

// --- Page geometry (points; A4 landscape is 841.89 × 595.28) -------------------------------------

const MARGIN = 28;
const FOOTER_SPACE = 14;
const BODY_SIZE = 8.5;
const LINE_GAP = 1;
const PAD = 3;
const GREY = '#555555';
const RULE = '#888888';
const HEADER_FILL = '#e6e6e6';

interface Column {
  key: string;
  title: string;
  width: number;
  align?: 'left' | 'center';
}

// 786 points of printable width.
const COLUMNS: Column[] = [
  { key: 'number', title: '№', width: 22, align: 'center' },
  { key: 'time', title: 'Время', width: 62, align: 'center' },
  { key: 'subject', title: 'Предмет', width: 118 },
  { key: 'topic', title: 'Тема урока', width: 150 },
  { key: 'homework', title: 'Домашнее задание', width: 222 },
  { key: 'marks', title: 'Отметки', width: 148 },
  { key: 'attendance', title: 'Посещ.', width: 64, align: 'center' },
];

// --- Words ------------------------------------------------------------------------------------

const WEEKDAYS = ['Понедельник', 'Вторник', 'Среда', 'Четверг', 'Пятница', 'Суббота', 'Воскресенье'];

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A no-break space: keeps «было: 4», «оп. 5 мин», «к 25.11» on one line. */
const NBSP = '\u00a0';

/** 2026-11-23 → 23.11.2026 (anything else as is). */
function ruDate(date: string): string {
  const m = ISO_DATE.exec(date);
  return m ? `${m[3]}.${m[2]}.${m[1]}` : date;
}

/** 2026-11-23 → 23.11. */
function ruDayMonth(date: string): string {
  const m = ISO_DATE.exec(date);
  return m ? `${m[3]}.${m[2]}` : date;
}

function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00.000Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

function isIsoDate(date: string): boolean {
  return ISO_DATE.test(date) && !Number.isNaN(Date.parse(`${date}T00:00:00.000Z`));
}

function timeRange(from: string, to: string): string {
  if (from && to) return `${from}–${to}`;
  return from || to;
}

/** One paragraph of a cell: a run of text in one font and colour. */
interface Paragraph {
  text: string;
  bold?: boolean;
  grey?: boolean;
  /** How many leading characters are bold (a mark's value). */
  boldLead?: number;
}

function markLine(mark: DiaryMark__Output): Paragraph {
  const kind = mark.work_type_name || mark.work_type;
  if (mark.status === 'voided') {
    const before = mark.previous_values.at(-1) || '—';
    return { text: `[${before}]${kind ? ` ${kind}` : ''} — аннулирована`, grey: true };
  }
  let text = kind ? `${mark.value} — ${kind}` : mark.value;
  if (mark.corrected) {
    text += ', исправлено';
    if (mark.previous_values.length > 0) text += ` (было:${NBSP}${mark.previous_values.join(`${NBSP}→ `)})`;
    if (mark.correction_reason) text += `; причина: ${mark.correction_reason}`;
  }
  if (mark.comment) text += `. ${mark.comment}`;
  return { text, boldLead: mark.value.length };
}

function homeworkLine(homework: DiaryHomework__Output): Paragraph {
  const parts = [homework.text];
  const about: string[] = [];
  if (homework.due_date) about.push(`к${NBSP}${ruDayMonth(homework.due_date)}`);
  if (homework.individual) about.push('индивидуальное');
  if (about.length > 0) parts.push(`(${about.join(', ')})`);
  if (homework.attachments.length > 0) {
    parts.push(`Файлы (${homework.attachments.length}) — в электронном дневнике.`);
  }
  return { text: parts.join(' ') };
}

function attendanceLines(lesson: DiaryLesson__Output): Paragraph[] {
  const attendance = lesson.attendance;
  if (!attendance) return [];
  const mark =
    attendance.kind === 'late'
      ? `оп.${NBSP}${attendance.late_minutes}${NBSP}мин`
      : attendance.kind === 'absent'
        ? 'н'
        : attendance.kind;
  const lines: Paragraph[] = [{ text: mark, bold: true }];
  if (attendance.reason && attendance.reason_name) lines.push({ text: attendance.reason_name, grey: true });
  return lines;
}

function subjectLines(lesson: DiaryLesson__Output): Paragraph[] {
  const lines: Paragraph[] = [{ text: lesson.subject_name || '—', bold: true }];
  if (lesson.subgroup_name) lines.push({ text: `подгруппа: ${lesson.subgroup_name}`, grey: true });
  const notes = [...lesson.notes];
  if (lesson.status === 'cancelled' && !notes.some((n) => /отмен/i.test(n))) notes.unshift('урок отменён');
  for (const note of notes) lines.push({ text: note, grey: true });
  if (lesson.room) lines.push({ text: `каб.${NBSP}${lesson.room}`, grey: true });
  return lines;
}

/** The cells of a lesson's row, by column key. */
function lessonCells(lesson: DiaryLesson__Output): Record<string, Paragraph[]> {
  return {
    number: lesson.lesson_number > 0 ? [{ text: String(lesson.lesson_number) }] : [],
    time: [{ text: timeRange(lesson.starts_at, lesson.ends_at) }],
    subject: subjectLines(lesson),
    topic: lesson.topic ? [{ text: lesson.topic }] : [],
    homework: lesson.homework.map(homeworkLine),
    marks: lesson.marks.map(markLine),
    attendance: attendanceLines(lesson),
  };
}

function eventLine(event: DiaryEvent__Output): string {
  const when: string[] = [];
  if (event.starts_on && event.ends_on && event.ends_on !== event.starts_on) {
    when.push(`с ${ruDayMonth(event.starts_on)} по ${ruDayMonth(event.ends_on)}`);
  }
  const time = timeRange(event.starts_at, event.ends_at);
  if (time) when.push(time);
  const title = [event.kind_name, event.title].filter(Boolean).join(': ');
  let text = `${when.length > 0 ? `${when.join(', ')} — ` : ''}${title}`;
  if (event.place) text += `, ${event.place}`;
  if (event.description) text += `. ${event.description}`;
  if (event.status === 'cancelled') text += ' (отменено)';
  return `• ${text}`;
}

/**
 * The days to print: Monday to Saturday always (a day the diary did not send is printed empty),
 * Sunday only with lessons or events.
 */
function printedDays(week: Week__Output): DiaryDay__Output[] {
  if (!isIsoDate(week.starts_on)) {
    return week.days.filter((d) => d.weekday !== 7 || d.lessons.length > 0 || d.events.length > 0);
  }
  const days: DiaryDay__Output[] = [];
  for (let i = 0; i < 7; i += 1) {
    const date = addDays(week.starts_on, i);
    const day = week.days.find((d) => d.date === date) ?? {
      date,
      weekday: i + 1,
      weekday_name: WEEKDAYS[i]!,
      lessons: [],
      events: [],
    };
    if (i === 6 && day.lessons.length === 0 && day.events.length === 0) continue;
    days.push(day);
  }
  return days;
}

function dayTitle(day: DiaryDay__Output): string {
  const name = day.weekday_name || WEEKDAYS[day.weekday - 1] || '';
  return [name, ruDate(day.date)].filter(Boolean).join(', ');
}

// --- Rendering --------------------------------------------------------------------------------

/** A PDF document drawing text blocks at fixed places, recording each (see DrawnText). */
class Sheet {
  readonly doc: PDFKit.PDFDocument;
  readonly texts: DrawnText[] = [];
  page = 0;
  y: number;
  readonly left: number;
  readonly right: number;
  readonly top: number;
  /** Where content ends: the page numbers go below. */
  readonly bottom: number;

  constructor(doc: PDFKit.PDFDocument) {
    this.doc = doc;
    this.left = doc.page.margins.left;
    this.right = doc.page.width - doc.page.margins.right;
    this.top = doc.page.margins.top;
    this.bottom = doc.page.height - doc.page.margins.bottom - FOOTER_SPACE;
    this.y = this.top;
  }

  get width(): number {
    return this.right - this.left;
  }

  private style(size: number, bold = false, grey = false): void {
    this.doc
      .font(bold ? FONT_BOLD : FONT)
      .fontSize(size)
      .fillColor(grey ? GREY : 'black');
  }

  /**
   * The height of `text` in a box of `width`. With a bold lead, the rest is regular: measured in
   * regular with spaces after the lead that make up for the bold's extra width, so the box is
   * never too short (and not a line too tall either).
   */
  measure(text: string, width: number, size: number, bold = false, boldLead = 0): number {
    const lead = bold ? 0 : Math.min(boldLead, text.length);
    let measured = text;
    if (lead > 0) {
      this.style(size, true);
      const boldWidth = this.doc.widthOfString(text.slice(0, lead));
      this.style(size, false);
      const extra = boldWidth - this.doc.widthOfString(text.slice(0, lead));
      const pad = Math.max(0, Math.ceil(extra / this.doc.widthOfString(' ')));
      measured = text.slice(0, lead) + ' '.repeat(pad) + text.slice(lead);
    }
    this.style(size, bold);
    return this.doc.heightOfString(measured, { width, lineGap: LINE_GAP });
  }

  /**
   * Draws `text` in a box of `width` at (x, y), at most `maxHeight` tall (cut with an ellipsis
   * beyond); returns the height used.
   */
  draw(
    role: string,
    text: string,
    x: number,
    y: number,
    width: number,
    options: {
      size: number;
      bold?: boolean;
      grey?: boolean;
      align?: 'left' | 'center';
      maxHeight?: number;
      /** How many leading characters are bold. */
      boldLead?: number;
    },
  ): number {
    const lead = options.bold ? 0 : Math.min(options.boldLead ?? 0, text.length);
    const full = this.measure(text, width, options.size, options.bold, lead);
    const clipped = options.maxHeight !== undefined && full > options.maxHeight;
    const height = clipped ? options.maxHeight! : full;
    // An explicit height keeps pdfkit from opening a page on its own; the half point absorbs
    // rounding between measuring and drawing.
    const box = {
      width,
      height: height + 0.5,
      lineGap: LINE_GAP,
      align: options.align ?? 'left',
      ellipsis: clipped ? '…' : undefined,
    };
    if (lead > 0 && lead < text.length) {
      this.style(options.size, true, options.grey);
      this.doc.text(text.slice(0, lead), x, y, { ...box, continued: true });
      this.style(options.size, false, options.grey);
      this.doc.text(text.slice(lead), { continued: false });
    } else {
      this.style(options.size, options.bold || lead > 0, options.grey);
      this.doc.text(text, x, y, box);
    }
    this.texts.push({ page: this.page, role, text, x, y, width, height, clipped });
    return height;
  }

  /** A new page; the cursor at its top. */
  newPage(): void {
    this.doc.addPage();
    this.page += 1;
    this.y = this.top;
  }

  /** Ensures `height` points are left on this page, opening a new one otherwise; true if it did. */
  ensure(height: number): boolean {
    if (this.y + height <= this.bottom) return false;
    this.newPage();
    return true;
  }
}

const HEADER_HEIGHT = BODY_SIZE + LINE_GAP + 2 * PAD + 2;
const DAY_TITLE_SIZE = 11;
const DAY_TITLE_HEIGHT = 18;

/** Height of a cell's paragraphs stacked in a column, and the most a row may take on a page. */
function cellHeight(sheet: Sheet, paragraphs: Paragraph[], column: Column): number {
  const width = column.width - 2 * PAD;
  return paragraphs.reduce((sum, p) => sum + sheet.measure(p.text, width, BODY_SIZE, p.bold, p.boldLead), 0);
}

function drawTableHeader(sheet: Sheet): void {
  const { doc } = sheet;
  doc.save().rect(sheet.left, sheet.y, sheet.width, HEADER_HEIGHT).fill(HEADER_FILL).restore();
  let x = sheet.left;
  for (const column of COLUMNS) {
    sheet.draw('header', column.title, x + PAD, sheet.y + PAD + 1, column.width - 2 * PAD, {
      size: BODY_SIZE,
      bold: true,
      align: column.align ?? 'left',
      maxHeight: HEADER_HEIGHT - 2 * PAD,
    });
    x += column.width;
  }
  gridRow(sheet, sheet.y, HEADER_HEIGHT);
  sheet.y += HEADER_HEIGHT;
}

/** The rules around one row: its box and the lines between the columns. */
function gridRow(sheet: Sheet, y: number, height: number): void {
  const { doc } = sheet;
  doc.save().lineWidth(0.5).strokeColor(RULE);
  doc.rect(sheet.left, y, sheet.width, height).stroke();
  let x = sheet.left;
  for (const column of COLUMNS.slice(0, -1)) {
    x += column.width;
    doc
      .moveTo(x, y)
      .lineTo(x, y + height)
      .stroke();
  }
  doc.restore();
}

function drawDayTitle(sheet: Sheet, day: DiaryDay__Output, continued: boolean): void {
  const title = continued ? `${dayTitle(day)} (продолжение)` : dayTitle(day);
  sheet.draw('day', title, sheet.left, sheet.y, sheet.width, { size: DAY_TITLE_SIZE, bold: true });
  sheet.y += DAY_TITLE_HEIGHT;
}

function drawLessonRow(sheet: Sheet, day: DiaryDay__Output, lesson: DiaryLesson__Output): void {
  const cells = lessonCells(lesson);
  // A row taller than a whole page (a very long homework) is cut to the page, with an ellipsis.
  const maxRow = sheet.bottom - sheet.top - DAY_TITLE_HEIGHT - HEADER_HEIGHT;
  const natural = Math.max(
    BODY_SIZE + LINE_GAP,
    ...COLUMNS.map((column) => cellHeight(sheet, cells[column.key] ?? [], column)),
  );
  const rowHeight = Math.min(natural, maxRow - 2 * PAD) + 2 * PAD;
  if (sheet.ensure(rowHeight)) {
    drawDayTitle(sheet, day, true);
    drawTableHeader(sheet);
  }
  const top = sheet.y;
  let x = sheet.left;
  for (const column of COLUMNS) {
    let y = top + PAD;
    for (const paragraph of cells[column.key] ?? []) {
      const room = top + rowHeight - PAD - y;
      if (room < BODY_SIZE) break;
      y += sheet.draw(`cell:${column.key}`, paragraph.text, x + PAD, y, column.width - 2 * PAD, {
        size: BODY_SIZE,
        bold: paragraph.bold,
        grey: paragraph.grey,
        boldLead: paragraph.boldLead,
        align: column.align ?? 'left',
        maxHeight: room,
      });
    }
    x += column.width;
  }
  gridRow(sheet, top, rowHeight);
  sheet.y = top + rowHeight;
}

function drawDay(sheet: Sheet, day: DiaryDay__Output): void {
  const lessons = [...day.lessons].sort((a, b) => a.lesson_number - b.lesson_number);
  // The day's title stays with its table's header and first row (or with its "no lessons" line).
  const first = lessons[0];
  const firstRow = first
    ? Math.max(...COLUMNS.map((column) => cellHeight(sheet, lessonCells(first)[column.key] ?? [], column))) +
      2 * PAD +
      HEADER_HEIGHT
    : BODY_SIZE * 2;
  sheet.ensure(DAY_TITLE_HEIGHT + Math.min(firstRow, sheet.bottom - sheet.top - DAY_TITLE_HEIGHT));
  drawDayTitle(sheet, day, false);
  if (lessons.length === 0) {
    sheet.y += sheet.draw('no-lessons', 'Уроков нет', sheet.left, sheet.y, sheet.width, {
      size: BODY_SIZE,
      grey: true,
    });
  } else {
    drawTableHeader(sheet);
    for (const lesson of lessons) drawLessonRow(sheet, day, lesson);
  }
  if (day.events.length > 0) {
    sheet.y += 4;
    const label = 'Мероприятия:';
    sheet.ensure(sheet.measure(label, sheet.width, BODY_SIZE, true) * 2);
    sheet.y += sheet.draw('events', label, sheet.left, sheet.y, sheet.width, { size: BODY_SIZE, bold: true });
    for (const event of day.events) {
      const text = eventLine(event);
      const maxHeight = sheet.bottom - sheet.top;
      sheet.ensure(Math.min(sheet.measure(text, sheet.width - 8, BODY_SIZE), maxHeight));
      sheet.y += sheet.draw('event', text, sheet.left + 8, sheet.y, sheet.width - 8, {
        size: BODY_SIZE,
        grey: event.status === 'cancelled',
        maxHeight,
      });
    }
  }
  sheet.y += 10;
}

function drawHeading(sheet: Sheet, week: Week__Output): void {
  const student = week.student;
  sheet.y += sheet.draw('title', 'Дневник', sheet.left, sheet.y, sheet.width, { size: 18, bold: true });
  sheet.y += 2;
  const name = student?.display_name ? `Обучающийся: ${student.display_name}` : 'Обучающийся: —';
  sheet.y += sheet.draw('student', name, sheet.left, sheet.y, sheet.width, { size: 11, bold: true });
  const where = [
    student?.class_name ? `Класс: ${student.class_name}` : '',
    student?.school_name ? `Школа: ${student.school_name}` : '',
  ]
    .filter(Boolean)
    .join('    ');
  if (where) sheet.y += sheet.draw('school', where, sheet.left, sheet.y, sheet.width, { size: 10 });
  const dates =
    week.starts_on && week.ends_on
      ? `Неделя с ${ruDate(week.starts_on)} по ${ruDate(week.ends_on)}`
      : `Неделя ${ruDate(week.starts_on || week.ends_on)}`;
  sheet.y += sheet.draw('week', dates, sheet.left, sheet.y, sheet.width, { size: 10 });
  sheet.y += 10;
}

/** «Выписка сформирована …» and the class teacher's signature: a line to sign and one for the name. */
function drawClosing(sheet: Sheet, generatedOn: string): void {
  const { doc } = sheet;
  sheet.ensure(64);
  sheet.y += 8;
  sheet.y += sheet.draw(
    'footer',
    `Выписка сформирована ${ruDate(generatedOn)}`,
    sheet.left,
    sheet.y,
    sheet.width,
    {
      size: 10,
    },
  );
  sheet.y += 20;
  const label = 'Классный руководитель';
  const height = sheet.draw('signature', label, sheet.left, sheet.y, 140, { size: 10 });
  const lineY = sheet.y + height - 2;
  const blanks = [
    { x: sheet.left + 150, width: 150, hint: '(подпись)' },
    { x: sheet.left + 320, width: 220, hint: '(расшифровка подписи)' },
  ];
  doc.save().lineWidth(0.7).strokeColor('black');
  for (const blank of blanks)
    doc
      .moveTo(blank.x, lineY)
      .lineTo(blank.x + blank.width, lineY)
      .stroke();
  doc.restore();
  for (const blank of blanks) {
    sheet.draw('signature-hint', blank.hint, blank.x, lineY + 2, blank.width, {
      size: 7,
      grey: true,
      align: 'center',
    });
  }
  sheet.y = lineY + 12;
}

/** «Стр. N из M» under every page, once the number of pages is known. */
function drawPageNumbers(sheet: Sheet, studentName: string): void {
  const { doc } = sheet;
  const { start, count } = doc.bufferedPageRange();
  for (let i = start; i < start + count; i += 1) {
    doc.switchToPage(i);
    sheet.page = i;
    const y = sheet.bottom + 4;
    const label = `${studentName ? `${studentName}. ` : ''}Стр. ${i + 1} из ${count}`;
    sheet.draw('page-number', label, sheet.left, y, sheet.width, { size: 7, grey: true, align: 'left' });
  }
}

function pdfDate(date: string): Date {
  return new Date(`${isIsoDate(date) ? date : '2000-01-01'}T00:00:00.000Z`);
}

/** The week's extract and its layout (the layout for tests; callers want `renderWeekPdf`). */
export function renderWeekExtract(week: Week__Output, options: WeekPdfOptions = {}): Promise<WeekExtract> {
  const generatedOn = options.generatedOn || week.ends_on || week.starts_on;
  const studentName = week.student?.display_name ?? '';
  const doc = new PDFDocument({
    size: 'A4',
    layout: 'landscape',
    margins: { top: MARGIN, bottom: MARGIN, left: MARGIN, right: MARGIN },
    bufferPages: true,
    // The creation date decides the file's id too: from the week, never the clock.
    info: {
      Title: `Дневник: ${studentName || 'выписка'} — неделя с ${ruDate(week.starts_on)}`,
      Author: week.student?.school_name ?? '',
      Subject: 'Выписка из электронного дневника за неделю',
      Creator: 'Электронный дневник',
      Producer: 'Электронный дневник',
      CreationDate: pdfDate(generatedOn),
    },
    lang: 'ru-RU',
    displayTitle: true,
  });
  const { regular, bold } = dejaVu();
  doc.registerFont(FONT, regular);
  doc.registerFont(FONT_BOLD, bold);

  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const sheet = new Sheet(doc);
  drawHeading(sheet, week);
  for (const day of printedDays(week)) drawDay(sheet, day);
  drawClosing(sheet, generatedOn);
  drawPageNumbers(sheet, studentName);
  const pages = doc.bufferedPageRange().count;
  doc.end();

  return done.then((pdf) => ({
    pdf,
    pages,
    area: { left: sheet.left, top: sheet.top, right: sheet.right, bottom: sheet.bottom + FOOTER_SPACE },
    texts: sheet.texts,
  }));
}

/** The week as a printable PDF in Russian (R6.5). */
export async function renderWeekPdf(week: Week__Output, options: WeekPdfOptions = {}): Promise<Buffer> {
  return (await renderWeekExtract(week, options)).pdf;
}
