/**
 * Datasets and their data rows: a URL or inline text, a unique global key, a media type,
 * attachments and metadata. Rows are imported in streams and read back with cursor paging.
 */
package org.openfoundry.datasets;
