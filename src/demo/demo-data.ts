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

/** A stable, plausible population for the other wards (6,000–8,000). */
export function demoPopulation(wardNumber: number): number {
  return 6000 + ((wardNumber * 7919) % 2000);
}

/**
 * Demo sign-ins, created only outside production mode (the passwords are public).
 * Invented people; the passwords pass the strength rule.
 */
export const DEMO_ACCOUNTS = [
  {
    username: 'bsr.admin',
    password: 'duare-demo-office-2026',
    displayName: 'Demo Administrator',
    phone: '+917000000101',
    role: 'MUNICIPAL_ADMIN',
  },
  {
    username: 'bsr.signatory',
    password: 'duare-demo-signing-2026',
    displayName: 'Demo Executive Officer',
    phone: '+917000000102',
    role: 'SIGNATORY',
  },
  {
    username: 'ward5.coordinator',
    password: 'duare-demo-ward-five',
    displayName: 'নাসরিন সুলতানা (Demo Coordinator)',
    phone: '+917000000105',
    role: 'WARD_COORDINATOR',
  },
  // Ward 5's field agents, so a coordinator can schedule a delivery without an administrator.
  {
    username: 'ward5.agent',
    password: 'duare-demo-agent-five',
    displayName: 'সুব্রত হালদার (Demo Field Agent)',
    phone: '+917000000151',
    role: 'FIELD_AGENT',
  },
  {
    username: 'ward5.agent2',
    password: 'duare-demo-agent-five-b',
    displayName: 'তানিয়া পাল (Demo Field Agent)',
    phone: '+917000000152',
    role: 'FIELD_AGENT',
  },
] as const;
