package org.openfoundry.adapters;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.imageio.ImageIO;
import org.openfoundry.chat.FetchedImage;
import org.openfoundry.chat.ImageFetcher;
import org.openfoundry.datasets.DataRowId;
import org.openfoundry.ontology.AssetType;
import org.openfoundry.ontology.Classification;
import org.openfoundry.ontology.Ontology;
import org.openfoundry.ontology.Option;
import org.openfoundry.ontology.Tool;
import org.openfoundry.problems.ErrorCode;
import org.openfoundry.problems.FoundryException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** Rows, ontologies, images and environments the adapter tests share. */
final class Fixtures {
  static final JsonMapper MAPPER = JsonMapper.builder().build();
  static final DataRowId ROW_ID = new DataRowId("dr_01HZX3K7W6Q0A9B8C7D6E5F4G3");

  private Fixtures() {}

  static JsonNode json(String text) {
    return MAPPER.readTree(text);
  }

  static ObjectNode object(String text) {
    return (ObjectNode) MAPPER.readTree(text);
  }

  static ObjectNode params(String text) {
    return object(text);
  }

  static AdapterConfig config(URI endpoint, String options) {
    return new AdapterConfig(endpoint, object(options));
  }

  static Ontology ontology(Tool... tools) {
    return new Ontology(Optional.of(AssetType.IMAGE), List.of(tools), List.of());
  }

  static Ontology classifications(Classification... classifications) {
    return new Ontology(Optional.empty(), List.of(), List.of(classifications));
  }

  static TaskInput imageRow(String url, Ontology ontology, String params) {
    return new TaskInput(
        ROW_ID,
        Optional.of("street-0001.jpg"),
        url,
        AssetType.IMAGE,
        ontology,
        ontologyJson(ontology),
        params(params));
  }

  static TaskInput textRow(String text, Ontology ontology, String params) {
    return new TaskInput(
        ROW_ID,
        Optional.of("note-0001.txt"),
        text,
        AssetType.TEXT,
        ontology,
        ontologyJson(ontology),
        params(params));
  }

  /** The ontology as the wire request carries it. */
  static ObjectNode ontologyJson(Ontology ontology) {
    ObjectNode json = JsonNodeFactory.instance.objectNode();
    ontology.mediaType().ifPresent(type -> json.put("media_type", type.name()));
    ArrayNode tools = json.putArray("tools");
    ontology
        .tools()
        .forEach(
            tool -> tools.addObject().put("name", tool.name()).put("tool", tool.kind().word()));
    ArrayNode classifications = json.putArray("classifications");
    for (Classification classification : ontology.classifications()) {
      ObjectNode node = classifications.addObject();
      node.put("name", classification.name()).put("type", classification.kind().word());
      ArrayNode options = node.putArray("options");
      for (Option option : classification.options()) {
        options.addObject().put("label", option.label()).put("value", option.value());
      }
    }
    return json;
  }

  static AdapterEnvironment environment() {
    return environment(Map.of());
  }

  /** Images served by URL; any other URL is refused as the outbound rules would. */
  static AdapterEnvironment environment(Map<URI, byte[]> images) {
    return new AdapterEnvironment(
        new SteppedClock(),
        duration -> {
          throw new AssertionError("no adapter here should wait, asked for " + duration);
        },
        fetcher(images),
        1 << 20);
  }

  static ImageFetcher fetcher(Map<URI, byte[]> images) {
    return (url, maxBytes) -> {
      byte[] bytes = images.get(url);
      if (bytes == null) {
        throw new FoundryException(ErrorCode.OUTBOUND_BLOCKED, "not allowed: " + url);
      }
      if (bytes.length > maxBytes) {
        throw new FoundryException(ErrorCode.PAYLOAD_TOO_LARGE, url + " is over " + maxBytes);
      }
      return new FetchedImage(bytes, Optional.of("application/octet-stream"));
    };
  }

  /** A PNG whose pixels are white where the rows say '1': a mask as segmentation models send. */
  static byte[] png(String... rows) {
    BufferedImage image =
        new BufferedImage(rows[0].length(), rows.length, BufferedImage.TYPE_BYTE_GRAY);
    for (int row = 0; row < rows.length; row++) {
      for (int column = 0; column < rows[row].length(); column++) {
        image.getRaster().setSample(column, row, 0, rows[row].charAt(column) == '1' ? 255 : 0);
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(image, "png", out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
