package org.openfoundry.server.files;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.openfoundry.datasets.DataRow;
import org.openfoundry.dispatch.ForwardingTaskQueue;
import org.openfoundry.dispatch.LeasedTask;
import org.openfoundry.dispatch.TaskQueue;
import org.openfoundry.models.ModelId;

/**
 * A task queue that hands the dispatcher rows whose stored-file references are replaced by fresh
 * signed URLs. Signing at claim time, not at import, keeps the URLs short-lived: each attempt gets
 * its own, valid for the configured time from the moment the task is claimed.
 */
public final class SignedFileRows extends ForwardingTaskQueue {
  private final UrlSigner signer;

  public SignedFileRows(TaskQueue delegate, UrlSigner signer) {
    super(delegate);
    this.signer = requireNonNull(signer, "signer is null");
  }

  @Override
  public List<LeasedTask> claim(
      ModelId model, int max, int concurrencyCap, String owner, Duration leaseFor, Instant now) {
    return super.claim(model, max, concurrencyCap, owner, leaseFor, now).stream()
        .map(this::signed)
        .toList();
  }

  private LeasedTask signed(LeasedTask task) {
    DataRow row = task.row();
    return FileStore.referencedName(row.rowData())
        .map(
            name ->
                task.withRow(
                    new DataRow(
                        row.id(),
                        row.datasetId(),
                        row.globalKey(),
                        signer.sign(name).toString(),
                        row.mediaType(),
                        row.attachments(),
                        row.metadata())))
        .orElse(task);
  }
}
