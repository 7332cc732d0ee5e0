// What a scheduled job reports of one run, recorded in job_runs. Framework code: the modules'
// jobs return it and jobs/ (the runner, which modules never import) stores it.

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** A run's outcome as counts and small facts by name, e.g. `{ deleted: 3 }`. */
export type JobResult = Record<string, JsonValue>;
