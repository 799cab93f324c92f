package dev.pipeline.logs;

import java.time.ZoneId;

/**
 * What every parse worker needs to know, from the command line.
 *
 * @param minLevel entries below it are filtered
 * @param defaultLevel the level of a recognised entry that names none
 * @param zone the zone of timestamps that name none, or {@code null}: the system's
 * @param year the year of timestamps without one, or 0 to take it from each file's mtime
 * @param json whether to write JSON lines instead of the text form
 */
record Settings(Level minLevel, Level defaultLevel, ZoneId zone, int year, boolean json) {}
