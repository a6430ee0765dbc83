/**
 * Cursor paging shared by every list the store serves: a request names the cursor of the last page
 * (opaque to callers) and a limit; a page holds its items and the cursor of the next one.
 */
package org.openfoundry.paging;
