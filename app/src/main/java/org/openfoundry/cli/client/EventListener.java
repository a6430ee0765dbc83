package org.openfoundry.cli.client;

/** Receives the server-sent events of a stream, such as a run's progress. */
public interface EventListener {
  /** One event with its name ({@code message} when the server gave none); false stops reading. */
  boolean event(String name, String data);

  /** A comment the server sent to keep the connection open: a moment to refresh a display. */
  default void keepAlive() {}
}
