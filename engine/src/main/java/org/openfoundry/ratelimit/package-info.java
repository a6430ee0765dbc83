/**
 * Per-model rate limits as a generic cell rate algorithm (GCRA): reservations hand out start times
 * spaced by the emission interval, in memory on one node or on one database row per model across
 * many.
 */
package org.openfoundry.ratelimit;
