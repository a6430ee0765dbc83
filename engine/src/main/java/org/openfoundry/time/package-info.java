/**
 * Time as a dependency: the {@link org.openfoundry.time.Sleeper} that whatever waits (the
 * dispatcher, chat calls, adapters polling a vendor) takes beside its {@link java.time.Clock}, so
 * that tests step time instead of sitting it out.
 */
package org.openfoundry.time;
