import {
  capacityErrors,
  className,
  gradeErrors,
  letterErrors,
  normaliseLetter,
} from '../../src/domain/school-class';

describe('class rules', () => {
  test.each([
    [' а ', 'А'],
    ['б', 'Б'],
    ['ит', 'ИТ'],
    ['1', '1'],
  ])('when the letter is %j, then it is kept as %j', (letter, kept) => {
    expect(normaliseLetter(letter)).toBe(kept);
    expect(letterErrors(normaliseLetter(letter))).toEqual([]);
  });

  test.each(['', 'АБВГ', 'А-1', 'А Б'])('when the letter is %j, then it is refused', (letter) => {
    expect(letterErrors(normaliseLetter(letter))).toEqual([
      { field: 'letter', message: 'Буква класса — от 1 до 3 букв или цифр, например «А»' },
    ]);
  });

  test('when grade and letter are put together, then «5А»', () => {
    expect(className({ grade: 5, letter: 'А' })).toBe('5А');
    expect(className({ grade: 11, letter: 'Б' })).toBe('11Б');
  });

  test('when the grade is 0 or 12 or the capacity 61, then each is refused; 0 capacity means not set', () => {
    expect(gradeErrors(0)).toHaveLength(1);
    expect(gradeErrors(12)).toHaveLength(1);
    expect(gradeErrors(1)).toEqual([]);
    expect(capacityErrors(61)).toHaveLength(1);
    expect(capacityErrors(0)).toEqual([]);
  });
});
