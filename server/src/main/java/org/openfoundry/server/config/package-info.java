/**
 * The server's configuration: one record per feature (HTTP, storage, auth, outbound calls, files,
 * role), read once at start-up from defaults, a YAML or properties file, {@code FOUNDRY_*}
 * environment variables and command-line flags, in that order of precedence. Every key is declared
 * in {@link org.openfoundry.server.config.ConfigKey}; an unknown key fails start-up with its name
 * and position, and the effective configuration can be described with secrets masked.
 */
package org.openfoundry.server.config;
