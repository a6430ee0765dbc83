/**
 * The model side of OpenFoundry's wire contract, shared by every example model: the task request as
 * a model reads it (the data row, the ontology features asked for, the inference parameters, each
 * checked with a message naming its path), the answers a model gives keyed by feature name, and the
 * port through which an image model loads the picture a row points at.
 */
package org.openfoundry.examples.endpoint;
