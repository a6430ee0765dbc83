/**
 * Endpoint adapters: how a model's endpoint is spoken to. An {@link
 * org.openfoundry.adapters.Adapter} turns a data row task or a chat conversation into the vendor's
 * request, sends it through an {@link org.openfoundry.adapters.EndpointTransport} (which owns HTTP,
 * credentials, timeouts and outbound rules), and maps the vendor's response back to our task
 * response format, keeping the raw response as returned. Built in: our wire contract, OpenAI chat
 * completions, Gemini {@code generateContent}, Vertex AI {@code predict}, Hugging Face inference
 * tasks, Replicate predictions, Databricks model serving, and declarative JSONata mappings for
 * anything else; the {@link org.openfoundry.adapters.AdapterRegistry} finds them by name and checks
 * their options when a manifest is loaded.
 */
package org.openfoundry.adapters;
