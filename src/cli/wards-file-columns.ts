/** Columns of a wards file (`--wards-file wards.csv`), header row first, UTF-8. */
export const WARD_FILE_COLUMNS = {
  required: ['number', 'name_en', 'name_bn'],
  optional: [
    'councillor_status',
    'councillor_status_since',
    'councillor_status_note',
    'population',
    'helpline_whatsapp_number',
    'whatsapp_phone_number_id',
  ],
} as const;
