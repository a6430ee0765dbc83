package org.openfoundry.datasets;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.openfoundry.datasets.DataRowReader.RowCheck;
import org.openfoundry.problems.Problem;

/**
 * Coverage-guided fuzzing of the data-row import reader: any text, read as NDJSON (with the default
 * line limit and with a small one) and as a JSON array, and any bytes, read as UTF-8 the way the
 * server reads a request body, yield valid rows and a problem for each entry refused, and never
 * throw. Seeds are in {@code DataRowImportFuzzTestInputs}.
 */
class DataRowImportFuzzTest {
  private static final int SMALL_LINES = 64;

  @Timeout(value = 10, unit = TimeUnit.SECONDS)
  @FuzzTest(maxDuration = "30s")
  void any_text_imports_as_valid_rows_and_problems_for_the_rest(byte[] input) {
    String text = new String(input, StandardCharsets.UTF_8);
    drain(DataRowReader.ndjson(new StringReader(text)));
    drain(DataRowReader.ndjson(new StringReader(text), SMALL_LINES));
    drain(DataRowReader.jsonArray(new StringReader(text)));
    drain(DataRowReader.ndjson(new ByteArrayInputStream(input), SMALL_LINES, RowCheck.NONE));
    drain(DataRowReader.jsonArray(new ByteArrayInputStream(input), RowCheck.NONE));
  }

  private static void drain(DataRowReader reader) {
    long lastLine = 0;
    while (reader.hasNext()) {
      NewDataRow row = reader.next();
      assertThat(row.line()).isPositive().isGreaterThanOrEqualTo(lastLine);
      lastLine = row.line();
      assertThat(row.rowData()).isNotBlank();
      assertThat(row.attachments().isArray()).isTrue();
      assertThat(row.metadata().isContainer()).isTrue();
    }
    assertThat(reader.problems())
        .hasSize((int) Math.min(reader.rejected(), ImportReport.MAX_PROBLEMS))
        .allMatch(Problem::isError)
        .allMatch(problem -> problem.position().isPresent());
  }
}
