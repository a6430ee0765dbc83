package org.openfoundry.store;

import com.github.f4b6a3.ulid.UlidCreator;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.openfoundry.datasets.DataRowId;
import org.openfoundry.datasets.DatasetId;
import org.openfoundry.models.ModelId;
import org.openfoundry.models.ModelVersionId;
import org.openfoundry.runs.RunId;
import org.openfoundry.runs.TaskId;

/**
 * New ids: a type prefix and a monotonic ULID, so ids sort in creation order within a node. A
 * task's id is built in the database from its run's and its row's ULIDs (see the schema).
 */
final class Ids {
  private static final SecureRandom RANDOM = new SecureRandom();

  private Ids() {}

  static ModelId model() {
    return new ModelId(ModelId.PREFIX + ulid());
  }

  static ModelVersionId modelVersion() {
    return new ModelVersionId(ModelVersionId.PREFIX + ulid());
  }

  static DatasetId dataset() {
    return new DatasetId(DatasetId.PREFIX + ulid());
  }

  static DataRowId dataRow() {
    return new DataRowId(DataRowId.PREFIX + ulid());
  }

  static RunId run() {
    return new RunId(RunId.PREFIX + ulid());
  }

  /** The id of the task of {@code run} for {@code row}, as the run's INSERT ... SELECT makes it. */
  static TaskId task(RunId run, DataRowId row) {
    return new TaskId(
        TaskId.PREFIX
            + run.value().substring(RunId.PREFIX.length())
            + row.value().substring(DataRowId.PREFIX.length()));
  }

  /** A lease token: 128 random bits, so no two leases ever share one. */
  static String leaseToken() {
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  private static String ulid() {
    return UlidCreator.getMonotonicUlid().toString();
  }
}
