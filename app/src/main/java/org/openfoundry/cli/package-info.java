/**
 * The {@code foundry} command line: picocli commands for checking manifests and responses offline,
 * driving a server, and running the demo. {@link org.openfoundry.cli.Main} is the entry point of
 * the runnable jar.
 */
package org.openfoundry.cli;
