/**
 * How OpenFoundry reports what is wrong: {@link org.openfoundry.problems.Problem}s that name the
 * source position, the path of the offending key and what was expected, and the one small hierarchy
 * of unchecked {@link org.openfoundry.problems.FoundryException}s that carry a stable {@link
 * org.openfoundry.problems.ErrorCode}. The server turns these into HTTP statuses in one place; the
 * CLI prints them.
 */
package org.openfoundry.problems;
