/**
 * The dispatcher: claims tasks under leases, calls model endpoints on virtual threads within each
 * model's concurrency cap and rate limit, retries what is worth retrying, post-processes responses
 * into predictions and writes outcomes fenced by the lease token.
 */
package org.openfoundry.dispatch;
