/** A new municipality: created by the operator (demo data, scripts), not over the API. */
export interface CreateMunicipalityInput {
  code: string;
  nameBn: string;
  nameEn: string;
  district: string;
  state: string;
}
