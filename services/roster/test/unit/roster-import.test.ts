import { schoolRosterCsv } from '@edu/testing';
import { IMPORT_TEMPLATE, checkImport, parseClassName, parseCsv } from '../../src/domain/roster-import';

// The import file without I/O: the CSV dialect and the checks of every line.

const at = { schoolId: 'school-1', registeredOn: '2026-08-25' };
const HEADER = 'код;вид;фамилия;имя;отчество;дата рождения;пол;снилс;класс;дети;кем приходится';

describe('roster import file', () => {
  test('when a cell is quoted with ; and a doubled quote inside, and lines end in CRLF, then the cells come out whole', () => {
    expect(parseCsv('\uFEFFа;б\r\n"x;y";"он сказал ""да"""\r\n\r\n')).toEqual([
      { line: 1, cells: ['а', 'б'] },
      { line: 2, cells: ['x;y', 'он сказал "да"'] },
    ]);
  });

  test('when the header uses commas, then commas separate', () => {
    expect(parseCsv('a,b\n1,2')).toEqual([
      { line: 1, cells: ['a', 'b'] },
      { line: 2, cells: ['1', '2'] },
    ]);
  });

  test('when the template is checked, then its three example lines are valid', () => {
    const { records, errors } = checkImport(parseCsv(IMPORT_TEMPLATE), at);

    expect(errors).toEqual([]);
    expect(records.map((r) => [r.key, r.form.kind, r.className, r.children, r.relation])).toEqual([
      ['u1', 'staff', { grade: 5, letter: 'А' }, [], undefined],
      ['s1', 'student', { grade: 5, letter: 'А' }, [], undefined],
      ['g1', 'guardian', undefined, ['s1'], 'mother'],
    ]);
    expect(records[1]!.form).toMatchObject({ birthDate: '2015-03-01', snils: '11223344595', sex: 'male' });
  });

  test('when lines have a bad date, no class, a repeated code and an unknown child, then every problem is named by line and column', () => {
    const csv = [
      HEADER,
      's1;обучающийся;Иванов;Иван;;31.02.2015;м;;5А;;',
      's2;обучающийся;Петров;Пётр;;01.03.2015;м;;;;',
      's1;обучающийся;Сидоров;Сидор;;01.03.2015;м;;5Б;;',
      'g1;родитель;Иванова;Ольга;;20.07.1988;ж;;;s9;мать',
      'x1;директор;Смирнов;Олег;;20.07.1970;м;;;;',
    ].join('\n');

    const { records, errors } = checkImport(parseCsv(csv), at);

    expect(errors.map((e) => e.field)).toEqual([
      'line 2: дата рождения',
      'line 3: класс',
      'line 4: код',
      'line 6: вид',
      'line 5: дети',
    ]);
    expect(errors[2]!.message).toBe('Строка 4, «код»: код уже встречался в строке 2');
    expect(records.map((r) => r.key)).toEqual(['g1']);
  });

  test('when a required column is missing, then the file is refused naming it', () => {
    const { errors } = checkImport(parseCsv('код;вид;фамилия;имя\n1;обучающийся;Иванов;Иван'), at);

    expect(errors).toEqual([
      expect.objectContaining({ message: 'Нет столбцов: «дата рождения», «пол» (скачайте шаблон)' }),
    ]);
  });

  test.each([
    ['5А', { grade: 5, letter: 'А' }],
    ['11 б', { grade: 11, letter: 'Б' }],
    ['10-1', { grade: 10, letter: '1' }],
    ['12А', null],
    ['А5', null],
  ])('when the class is written %j, then it is read as %j', (written, read) => {
    expect(parseClassName(written)).toEqual(read);
  });

  test('when a generated school of 2,000 students is checked, then every line is valid', () => {
    const { records, errors } = checkImport(parseCsv(schoolRosterCsv({ students: 2000 })), at);

    expect(errors).toEqual([]);
    expect(records.filter((r) => r.form.kind === 'student')).toHaveLength(2000);
    expect(records.filter((r) => r.form.kind === 'staff')).toHaveLength(22);
    expect(records.filter((r) => r.form.kind === 'guardian')).toHaveLength(1600);
  });
});
