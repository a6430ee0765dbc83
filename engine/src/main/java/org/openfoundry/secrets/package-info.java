/**
 * Secrets at rest: model secrets are sealed with AES-256-GCM under a master key (from config, the
 * {@code FOUNDRY_MASTER_KEY} environment variable, or a key file generated once with owner-only
 * permissions) before they reach the database, and opened only where they are sent.
 */
package org.openfoundry.secrets;
