package org.openfoundry.export;

import static java.util.Objects.requireNonNull;

import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.openfoundry.predictions.Box;
import org.openfoundry.predictions.Checklist;
import org.openfoundry.predictions.Choice;
import org.openfoundry.predictions.ClassificationAnswer;
import org.openfoundry.predictions.EntitySpan;
import org.openfoundry.predictions.FreeText;
import org.openfoundry.predictions.Line;
import org.openfoundry.predictions.Mask;
import org.openfoundry.predictions.ObjectPrediction;
import org.openfoundry.predictions.Point;
import org.openfoundry.predictions.Polygon;
import org.openfoundry.predictions.Prediction;
import org.openfoundry.predictions.Radio;
import org.openfoundry.predictions.Vertex;
import tools.jackson.core.JsonGenerator;

/**
 * Writes predictions as Labelbox NDJSON import lines, one per prediction: {@code uuid}, {@code
 * dataRow}, {@code name}, {@code confidence} when scored, then the geometry ({@code bbox}, {@code
 * mask.png}, {@code polygon}, {@code line}, {@code point}, {@code location} with an inclusive end)
 * or the {@code answer}, and nested {@code classifications}. The {@code uuid} is derived from the
 * run id, the data row, the feature and the prediction's index among that feature's predictions in
 * the row, so exporting the same run twice gives identical lines.
 */
public final class NdjsonExporter {
  /** The namespace of the name-based (version 5) UUIDs of exported predictions. */
  private static final UUID NAMESPACE = UUID.fromString("6f1d0f8e-3c2a-5b8e-9d41-0a7c2e4b9f13");

  private final String runId;
  private final DataRowKey dataRowKey;

  public NdjsonExporter(String runId, DataRowKey dataRowKey) {
    this.runId = requireNonNull(runId, "runId is null");
    this.dataRowKey = requireNonNull(dataRowKey, "dataRowKey is null");
  }

  /** Writes every row's predictions, one line each, and flushes; the writer stays open. */
  public ExportSummary export(RowSource rows, Writer out) {
    long rowCount = 0;
    long lines = 0;
    try (JsonGenerator json = Json.generator(out);
        Stream<ExportRow> stream = rows.open()) {
      for (ExportRow row : (Iterable<ExportRow>) stream::iterator) {
        rowCount++;
        lines += write(row, json);
      }
      json.flush();
    }
    return new ExportSummary(rowCount, lines, 0);
  }

  private long write(ExportRow row, JsonGenerator json) {
    Map<String, Integer> indexByFeature = new HashMap<>();
    for (Prediction prediction : row.predictions()) {
      int index = indexByFeature.merge(prediction.feature(), 1, Integer::sum) - 1;
      line(row.dataRow(), prediction, index, json);
      json.writeRaw('\n');
    }
    return row.predictions().size();
  }

  /** The stable id of a prediction: the same run, row, feature and index give the same UUID. */
  public UUID uuid(DataRowRef dataRow, String feature, int index) {
    String name = runId + '\u0000' + dataRow.id() + '\u0000' + feature + '\u0000' + index;
    return nameBased(name);
  }

  private void line(DataRowRef dataRow, Prediction prediction, int index, JsonGenerator json) {
    json.writeStartObject();
    json.writeStringProperty("uuid", uuid(dataRow, prediction.feature(), index).toString());
    json.writeObjectPropertyStart("dataRow");
    if (dataRowKey == DataRowKey.GLOBAL_KEY && dataRow.globalKey().isPresent()) {
      json.writeStringProperty("globalKey", dataRow.globalKey().get());
    } else {
      json.writeStringProperty("id", dataRow.id());
    }
    json.writeEndObject();
    json.writeStringProperty("name", prediction.feature());
    if (prediction.score().isPresent()) {
      json.writeNumberProperty("confidence", prediction.score().getAsDouble());
    }
    switch (prediction) {
      case ObjectPrediction object -> {
        geometry(object, json);
        if (!object.classifications().isEmpty()) {
          nested(object.classifications(), json);
        }
      }
      case ClassificationAnswer answer -> answer(answer, json);
    }
    json.writeEndObject();
  }

  private static void geometry(ObjectPrediction object, JsonGenerator json) {
    switch (object) {
      case Box box -> {
        json.writeObjectPropertyStart("bbox");
        Json.numberProperty(json, "top", box.top());
        Json.numberProperty(json, "left", box.left());
        Json.numberProperty(json, "height", box.height());
        Json.numberProperty(json, "width", box.width());
        json.writeEndObject();
      }
      case Mask mask -> {
        json.writeObjectPropertyStart("mask");
        json.writeStringProperty("png", MaskPng.base64(mask.mask()));
        json.writeEndObject();
      }
      case Polygon polygon -> vertices("polygon", polygon.vertices(), json);
      case Line line -> vertices("line", line.vertices(), json);
      case Point point -> {
        json.writeName("point");
        vertex(point.at(), json);
      }
      case EntitySpan span -> {
        json.writeObjectPropertyStart("location");
        json.writeNumberProperty("start", span.start());
        // The import format's end is the last character of the span, not the one after it.
        json.writeNumberProperty("end", span.end() - 1);
        json.writeEndObject();
      }
    }
  }

  private static void vertices(String name, List<Vertex> vertices, JsonGenerator json) {
    json.writeArrayPropertyStart(name);
    for (Vertex vertex : vertices) {
      vertex(vertex, json);
    }
    json.writeEndArray();
  }

  private static void vertex(Vertex vertex, JsonGenerator json) {
    json.writeStartObject();
    Json.numberProperty(json, "x", vertex.x());
    Json.numberProperty(json, "y", vertex.y());
    json.writeEndObject();
  }

  /** The {@code answer} of a classification, as the import format spells each kind. */
  private static void answer(ClassificationAnswer answer, JsonGenerator json) {
    switch (answer) {
      case Radio radio -> {
        json.writeName("answer");
        choice(radio.choice(), json);
      }
      case Checklist checklist -> {
        json.writeArrayPropertyStart("answer");
        for (Choice choice : checklist.choices()) {
          choice(choice, json);
        }
        json.writeEndArray();
      }
      case FreeText text -> json.writeStringProperty("answer", text.text());
    }
  }

  private static void choice(Choice choice, JsonGenerator json) {
    json.writeStartObject();
    json.writeStringProperty("name", choice.value());
    if (!choice.classifications().isEmpty()) {
      nested(choice.classifications(), json);
    }
    json.writeEndObject();
  }

  private static void nested(List<ClassificationAnswer> answers, JsonGenerator json) {
    json.writeArrayPropertyStart("classifications");
    for (ClassificationAnswer answer : answers) {
      json.writeStartObject();
      json.writeStringProperty("name", answer.feature());
      if (answer.score().isPresent()) {
        json.writeNumberProperty("confidence", answer.score().getAsDouble());
      }
      answer(answer, json);
      json.writeEndObject();
    }
    json.writeEndArray();
  }

  /** A version 5 (SHA-1, name-based) UUID of {@code name} in {@link #NAMESPACE}. */
  private static UUID nameBased(String name) {
    MessageDigest sha1;
    try {
      sha1 = MessageDigest.getInstance("SHA-1");
    } catch (NoSuchAlgorithmException everyJavaHasIt) {
      throw new IllegalStateException(everyJavaHasIt);
    }
    sha1.update(toBytes(NAMESPACE));
    byte[] hash = sha1.digest(name.getBytes(StandardCharsets.UTF_8));
    hash[6] = (byte) ((hash[6] & 0x0f) | 0x50);
    hash[8] = (byte) ((hash[8] & 0x3f) | 0x80);
    long most = 0;
    long least = 0;
    for (int index = 0; index < 8; index++) {
      most = (most << 8) | (hash[index] & 0xff);
      least = (least << 8) | (hash[index + 8] & 0xff);
    }
    return new UUID(most, least);
  }

  private static byte[] toBytes(UUID uuid) {
    byte[] bytes = new byte[16];
    long most = uuid.getMostSignificantBits();
    long least = uuid.getLeastSignificantBits();
    for (int index = 0; index < 8; index++) {
      bytes[index] = (byte) (most >>> (56 - 8 * index));
      bytes[index + 8] = (byte) (least >>> (56 - 8 * index));
    }
    return bytes;
  }
}
