/**
 * Inference parameters: the JSON Schema a manifest declares for them (checked against its
 * meta-schema, with defaults that fit their own subschemas), and the values a run sends, resolved
 * against that schema once (defaults filled in, required ones enforced, types and ranges checked,
 * nothing coerced) with every problem named by its parameter. Also turns {@code name=value} strings
 * from a command line into typed JSON by each parameter's declared type.
 */
package org.openfoundry.params;
