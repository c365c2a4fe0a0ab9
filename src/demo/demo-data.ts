/**
 * The demo municipality from the story Duare comes from. Phone numbers and WhatsApp ids
 * are invented.
 */
export const DEMO_MUNICIPALITY = {
  code: 'BSR',
  nameBn: 'বসিরহাট পৌরসভা',
  nameEn: 'Basirhat Municipality',
  district: 'North 24 Parganas',
  state: 'West Bengal',
};

export const DEMO_WARD_COUNT = 23;
export const DEMO_VACANT_WARD = 5;

export const DEMO_VACANT_WARD_DETAILS = {
  population: 7000,
  helplineWhatsappNumber: '+917000000005',
  whatsappPhoneNumberId: '100000000000005',
  since: '2022-03-20',
  note: 'The councillor elected in 2022 died soon after the election; the seat has been vacant since.',
};

const BENGALI_DIGITS = '০১২৩৪৫৬৭৮৯';

export function bengaliNumber(n: number): string {
  return String(n).replace(/\d/g, (d) => BENGALI_DIGITS[Number(d)]);
}

/** A stable, plausible population for the other wards (6,000–8,000). */
export function demoPopulation(wardNumber: number): number {
  return 6000 + ((wardNumber * 7919) % 2000);
}
