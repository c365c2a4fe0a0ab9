import { CreateWards1764320000000 } from './1764320000000-create-wards';

/** Every migration, oldest first. A new migration file is added here. */
export const MIGRATIONS = [CreateWards1764320000000];
