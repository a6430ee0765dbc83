/**
 * {@code foundry demo}: the whole platform on one machine in one command. It starts the server
 * in-process on SQLite in a data folder, starts the bundled example models (colour segmentation of
 * street scenes, OpenNLP language analysis) behind their HTTP endpoints, registers them from their
 * manifests, imports the sample datasets, runs each model over its dataset with live progress, and
 * prints what the models found, the commands to export it, the admin key and the URL to open. A
 * second run reuses the data folder.
 */
package org.openfoundry.cli.demo;
