package org.openfoundry.store;

import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.statement.DefaultStatementBuilder;
import org.jdbi.v3.core.statement.StatementBuilder;
import org.jdbi.v3.core.statement.StatementBuilderFactory;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * Keeps SQLite's prepared statements open between uses, per pooled connection. The SQLite driver
 * compiles every statement it is asked to prepare, and compiling took as much of a claim's time as
 * running it; PostgreSQL's driver keeps its own cache, so this is for SQLite only.
 *
 * <p>A statement is taken out of its connection's cache while a handle uses it and put back when
 * the handle closes it, cleared of its parameters and batch; a second use of the same SQL at once
 * gets a statement of its own. Statements are prepared on the pool's underlying connection, so the
 * pool does not close them when a handle returns its connection, and they close with it.
 */
final class SqliteStatementCache implements StatementBuilderFactory {
  private static final int STATEMENTS_PER_CONNECTION = 96;
  private static final StatementBuilder PLAIN = new DefaultStatementBuilder();

  private final Map<Connection, PerConnection> connections = new IdentityHashMap<>();

  @Override
  public StatementBuilder createStatementBuilder(Connection connection) {
    return new Builder();
  }

  /** The cache of the pool's connection under {@code pooled}. */
  private synchronized PerConnection cacheOf(Connection pooled) throws SQLException {
    Connection underlying = pooled.unwrap(Connection.class);
    PerConnection cache = connections.get(underlying);
    if (cache != null) {
      return cache;
    }
    // A new connection: the pool may have retired one, whose statements closed with it.
    List<Connection> closed = new ArrayList<>();
    for (Connection known : connections.keySet()) {
      if (known.isClosed()) {
        closed.add(known);
      }
    }
    closed.forEach(connections::remove);
    cache = new PerConnection(underlying);
    connections.put(underlying, cache);
    return cache;
  }

  /** Statements kept for one connection, least recently used first. */
  private static final class PerConnection {
    private final Connection connection;
    private final LinkedHashMap<String, PreparedStatement> idle =
        new LinkedHashMap<>(STATEMENTS_PER_CONNECTION, 0.75f, true);

    PerConnection(Connection connection) {
      this.connection = connection;
    }

    synchronized PreparedStatement take(String sql) throws SQLException {
      PreparedStatement statement = idle.remove(sql);
      if (statement != null && !statement.isClosed()) {
        return statement;
      }
      return connection.prepareStatement(
          sql, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
    }

    synchronized void putBack(String sql, PreparedStatement statement) throws SQLException {
      if (statement.isClosed() || connection.isClosed()) {
        return;
      }
      statement.clearParameters();
      statement.clearBatch();
      PreparedStatement previous = idle.put(sql, statement);
      if (previous != null && previous != statement) {
        previous.close();
      }
      if (idle.size() > STATEMENTS_PER_CONNECTION) {
        var eldest = idle.entrySet().iterator().next();
        idle.remove(eldest.getKey());
        eldest.getValue().close();
      }
    }
  }

  /**
   * One handle's builder: finds its connection's cache once, and remembers which SQL each statement
   * it handed out was prepared from.
   */
  private final class Builder implements StatementBuilder {
    private final Map<Statement, String> handedOut = new IdentityHashMap<>();
    private PerConnection cache;

    /** The cache of the handle's connection, which stays the same for the handle's life. */
    private PerConnection cache(Connection connection) throws SQLException {
      if (cache == null) {
        cache = cacheOf(connection);
      }
      return cache;
    }

    @Override
    public Statement create(Connection connection, StatementContext context) throws SQLException {
      return PLAIN.create(connection, context);
    }

    @Override
    public PreparedStatement create(Connection connection, String sql, StatementContext context)
        throws SQLException {
      if (context.isReturningGeneratedKeys() || context.isConcurrentUpdatable()) {
        return PLAIN.create(connection, sql, context);
      }
      PreparedStatement statement = cache(connection).take(sql);
      handedOut.put(statement, sql);
      return statement;
    }

    @Override
    public CallableStatement createCall(Connection connection, String sql, StatementContext context)
        throws SQLException {
      return PLAIN.createCall(connection, sql, context);
    }

    @Override
    public void close(Connection connection, String sql, Statement statement) throws SQLException {
      String prepared = statement == null ? null : handedOut.remove(statement);
      if (prepared == null) {
        PLAIN.close(connection, sql, statement);
        return;
      }
      try {
        cache(connection).putBack(prepared, (PreparedStatement) statement);
      } catch (SQLException e) {
        statement.close();
        throw e;
      }
    }
  }
}
