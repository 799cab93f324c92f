package dev.pipeline.logs;

/**
 * What every parse worker needs to know, from the command line.
 *
 * @param minLevel entries below it are filtered
 * @param defaultLevel the level of a recognised entry that names none
 * @param zone the zone of timestamps that name none (the system's looked up when first needed)
 * @param year the year of timestamps without one, or 0 to take it from each file's mtime
 * @param json whether to write JSON lines instead of the text form
 */
record Settings(
        Level minLevel, Level defaultLevel, Timestamps.LazyZone zone, int year, boolean json) {}
