/**
 * API keys: created with a role (admin, member or metrics), shown once, stored only as a SHA-256
 * hash (the keys are 32 random bytes, so a fast hash is enough) and compared in constant time;
 * revocable. Owns the access check that runs before every matched route and the first admin key,
 * printed once at first start or taken from the configuration.
 */
package org.openfoundry.server.auth;
