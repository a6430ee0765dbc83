/**
 * JSON read from outside the process (model responses, chat requests, imported data rows, stored
 * conversations): one shared set of limits on nesting depth and on the length of strings, numbers
 * and keys, applied by the parser before anything is built, and the plain words a passed limit is
 * reported in. Every reader of untrusted JSON takes its mapper from {@link
 * org.openfoundry.json.UntrustedJson}.
 */
package org.openfoundry.json;
