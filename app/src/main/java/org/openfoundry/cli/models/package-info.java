/**
 * {@code foundry models}: register a model from its {@code model.yaml} or from the form's fields
 * (with the secret read from an environment variable, never from the command line), make new
 * versions, apply a manifest idempotently, list and show models, archive them, and test a model's
 * connection with one sample row, seeing the request, the response and the predictions read from
 * it.
 */
package org.openfoundry.cli.models;
