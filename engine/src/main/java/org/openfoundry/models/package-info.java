/**
 * Registered models and their immutable versions. A model keeps its name and its history; every
 * change makes a new {@code ModelVersion} holding the manifest (as canonical JSON) and the
 * encrypted secret, and runs pin a version.
 */
package org.openfoundry.models;
