/**
 * API keys as the store keeps them: id, name, role, the key's first characters and the SHA-256 of
 * the whole key, never the key itself. The server creates, checks and revokes them.
 */
package org.openfoundry.apikeys;
