/**
 * {@code foundry datasets}: create datasets, import data rows from NDJSON or a JSON array (a file
 * or standard input, streamed to the server), with every refused row reported at its line of the
 * file, and list and show datasets.
 */
package org.openfoundry.cli.datasets;
