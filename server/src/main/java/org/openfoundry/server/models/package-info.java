/**
 * {@code /api/v1/models}: registering a model from the form's JSON fields or a {@code model.yaml}
 * manifest, new immutable versions on {@code PUT}, archiving, the version history, and the
 * connection test. Secrets are write-only: they are sealed in the store and never appear in any
 * answer, log or error.
 */
package org.openfoundry.server.models;
