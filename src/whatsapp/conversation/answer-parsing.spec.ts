import {
  choiceNumber,
  choiceNumbers,
  commandOf,
  indianDate,
  writesBengali,
  yesNo,
} from './answer-parsing';

describe('reading what residents type', () => {
  it('tells Bengali script from Latin, also in Bengali written with Latin digits', () => {
    expect(writesBengali('হ্যালো')).toBe(true);
    expect(writesBengali('আমার নাম 42')).toBe(true);
    expect(writesBengali('hello')).toBe(false);
    // Bengali in Latin letters is still Bengali to read.
    expect(writesBengali('ami certificate chai')).toBe(true);
    expect(writesBengali('amar residence certificate lagbe')).toBe(true);
    expect(writesBengali('I need a residential certificate for my son')).toBe(false);
    expect(writesBengali('please call me')).toBe(false);
  });

  it.each([
    ['মেনু', 'MENU', ''],
    ['Menu', 'MENU', ''],
    ['হ্যালো', 'MENU', ''],
    ['অবস্থা BSR-05-2627-00042', 'STATUS', 'BSR-05-2627-00042'],
    ['status', 'STATUS', ''],
    ['বাতিল', 'CANCEL', ''],
    ['সাহায্য', 'HELP', ''],
    ['English', 'ENGLISH', ''],
    ['বাংলা', 'BENGALI', ''],
    ['বাদ', 'SKIP', ''],
  ])('reads %j as the command %s', (text, command, argument) => {
    expect(commandOf(text)).toEqual({ command, argument });
  });

  it('does not take ordinary answers for commands', () => {
    expect(commandOf('স্কুলে ভর্তির জন্য')).toBeNull();
    expect(commandOf('menus are nice')).toBeNull();
    expect(commandOf('১২')).toBeNull();
  });

  it('reads choice numbers in Bengali or Latin digits', () => {
    expect(choiceNumber('২')).toBe(2);
    expect(choiceNumber(' 12 ')).toBe(12);
    expect(choiceNumber('৩।')).toBe(3);
    expect(choiceNumber('two')).toBeNull();
    expect(choiceNumber('1234')).toBeNull();
    expect(choiceNumbers('১, ৩')).toEqual([1, 3]);
    expect(choiceNumbers('1 and 2')).toEqual([1, 2]);
    expect(choiceNumbers('1 x')).toBeNull();
  });

  it.each([
    ['12/03/1990', '1990-03-12'],
    ['১২/০৩/১৯৯০', '1990-03-12'],
    ['1-3-1990', '1990-03-01'],
    ['12.03.1990', '1990-03-12'],
    ['1990-03-12', '1990-03-12'],
    ['২০২৪-০৩-১৫', '2024-03-15'],
    ['31/02/2024', null],
    ['29/02/2024', '2024-02-29'],
    ['29/02/2023', null],
    ['12/13/1990', null],
    ['yesterday', null],
  ])('reads the date %j as %j', (text, iso) => {
    expect(indianDate(text)).toBe(iso);
  });

  it('reads yes and no in both languages', () => {
    expect(yesNo('হ্যাঁ')).toBe(true);
    expect(yesNo('YES')).toBe(true);
    expect(yesNo('১')).toBe(true);
    expect(yesNo('না')).toBe(false);
    expect(yesNo('maybe')).toBeNull();
  });
});
